"""Camera counts per grid cell for the low-zoom vector tiles, kept current by a PostgreSQL trigger.

A cell is 1/64 of a Web Mercator tile's width at zoom z (0-12): (cx, cy) count from the top-left like tile x/y,
so tile (z, x, y) holds cells cx // 64 == x, cy // 64 == y. The trigger `cameras_track_cells` adds and subtracts
every camera that is not removed; `rebuild_camera_cells()` recomputes the table. Written only by the database.
"""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class CameraCell(db.Model):
    __tablename__ = "camera_cells"

    z: Mapped[int] = mapped_column(sa.SmallInteger, primary_key=True)
    cx: Mapped[int] = mapped_column(primary_key=True)
    cy: Mapped[int] = mapped_column(primary_key=True)
    cameras: Mapped[int] = mapped_column()
    # Sums of the cameras' Web Mercator coordinates: the cell is drawn at their mean position.
    sum_x: Mapped[float] = mapped_column(sa.Double)
    sum_y: Mapped[float] = mapped_column(sa.Double)
