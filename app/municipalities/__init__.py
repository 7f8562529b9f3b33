"""Municipalities: loading the boundary datasets, looking points up, listing and drawing them."""
