"""Area reference data: the five districts and boroughs, wards, and postcodes."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db

# GSS codes of Warwickshire's districts and boroughs (ONS, 2024 boundaries).
DISTRICTS: list[tuple[str, str, str]] = [
    ("north-warwickshire", "E07000218", "North Warwickshire"),
    ("nuneaton-and-bedworth", "E07000219", "Nuneaton and Bedworth"),
    ("rugby", "E07000220", "Rugby"),
    ("stratford-on-avon", "E07000221", "Stratford-on-Avon"),
    ("warwick", "E07000222", "Warwick"),
]


class District(db.Model):
    """A district or borough council area: the unit consultations are run and reported in."""

    __tablename__ = "district"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    gss_code: Mapped[str] = mapped_column(String(9), unique=True)
    name: Mapped[str] = mapped_column(String(120))

    wards: Mapped[list[Ward]] = relationship(back_populates="district", order_by="Ward.name")

    def __repr__(self) -> str:
        return f"<District {self.slug}>"


class Ward(db.Model):
    """An electoral ward, the optional second level below a district."""

    __tablename__ = "ward"

    id: Mapped[int] = mapped_column(primary_key=True)
    gss_code: Mapped[str] = mapped_column(String(9), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id"), index=True)

    district: Mapped[District] = relationship(back_populates="wards")


class Postcode(db.Model):
    """One live postcode from the ONS Postcode Directory, resolved to its district and ward."""

    __tablename__ = "postcode"

    postcode: Mapped[str] = mapped_column(String(8), primary_key=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id"), index=True)
    ward_id: Mapped[int | None] = mapped_column(ForeignKey("ward.id"))

    district: Mapped[District] = relationship()
    ward: Mapped[Ward | None] = relationship()
