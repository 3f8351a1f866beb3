"""merge surveys and forum

Revision ID: 0004_merge
Revises: 0002_surveys, 0003_forum
Create Date: 2026-11-25 16:04:38.122650

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_merge'
down_revision = ('0002_surveys', '0003_forum')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
