"""The area the site covers, Serbia and Kosovo, as ((south, west), (north, east)) in degrees (SRID 4326).

Leaflet's corner order, so the maps' scripts receive these as they are (`map_config()` in app/maps/routes.py).
"""

# Edge to edge: what a map of the whole area opens on (the home map, the Folium choropleth).
BOUNDS = ((41.85, 18.8), (46.19, 23.01))
# BOUNDS with a margin of about a degree: the home map asks the API for no cameras beyond it.
BOUNDS_WITH_MARGIN = ((40.8, 17.5), (47.3, 24.2))
