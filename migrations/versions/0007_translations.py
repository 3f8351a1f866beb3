"""translations: translated consultation content and the easy read version

Revision ID: 0007_translations
Revises: 0006_safeguarding
Create Date: 2026-11-25 16:59:26.023733

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0007_translations"
down_revision = "0006_safeguarding"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("consultation", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("easy_read", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("easy_read_summary", sa.Text(), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("translations", sa.JSON(), nullable=True))

    with op.batch_alter_table("consultation_question", schema=None) as batch_op:
        batch_op.add_column(sa.Column("translations", sa.JSON(), nullable=True))

    with op.batch_alter_table("consultation_section", schema=None) as batch_op:
        batch_op.add_column(sa.Column("translations", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("consultation_section", schema=None) as batch_op:
        batch_op.drop_column("translations")

    with op.batch_alter_table("consultation_question", schema=None) as batch_op:
        batch_op.drop_column("translations")

    with op.batch_alter_table("consultation", schema=None) as batch_op:
        batch_op.drop_column("translations")
        batch_op.drop_column("easy_read_summary")
        batch_op.drop_column("easy_read")
