"""A page of the verified cameras that match the filters, newest first, with the total."""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.cameras.filters import CameraFilters
from app.extensions import db
from app.models import Camera

PAGE_SIZE = 50


@dataclass
class CameraPage:
    cameras: list[Camera]
    total: int
    page: int
    pages: int
    per_page: int

    @property
    def first(self) -> int:
        """The position of the page's first camera in the whole list (1-based; 0 when the list is empty)."""
        return (self.page - 1) * self.per_page + 1 if self.cameras else 0

    @property
    def last(self) -> int:
        return self.first + len(self.cameras) - 1 if self.cameras else 0


def list_cameras(filters: CameraFilters, page: int = 1, per_page: int = PAGE_SIZE) -> CameraPage:
    """The `page`-th page (clamped to the pages there are) of the cameras the filters select, newest first."""
    conditions = filters.conditions()
    total = db.session.scalar(select(func.count()).select_from(Camera).where(*conditions)) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    cameras = db.session.scalars(
        select(Camera)
        .where(*conditions)
        .options(selectinload(Camera.capabilities), selectinload(Camera.municipality))
        .order_by(Camera.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return CameraPage(list(cameras), total, page, pages, per_page)
