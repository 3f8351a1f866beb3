"""Districts and boroughs of Warwickshire, optional wards, and an offline postcode lookup."""

from portal.areas.models import District, Postcode, Ward

__all__ = ["District", "Postcode", "Ward"]
