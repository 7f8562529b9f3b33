"""Verified cameras for the public: the viewport API behind the map and the page of one camera."""
