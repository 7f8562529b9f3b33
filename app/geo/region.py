"""The area the site covers, Serbia and Kosovo, as ((south, west), (north, east)) in degrees (SRID 4326).

Leaflet's corner order, so the maps' scripts receive these as they are (`map_config()` in app/maps/routes.py).
"""

# Edge to edge: what a map of the whole area opens on (the home map, the Folium choropleth).
BOUNDS = ((41.85, 18.8), (46.19, 23.01))
# BOUNDS with a margin of about a degree: the home map asks the API for no cameras beyond it.
BOUNDS_WITH_MARGIN = ((40.8, 17.5), (47.3, 24.2))

# The densest cities, whose municipalities are a few pixels wide on a map of the whole area: the choropleth offers
# a jump to each. Keys are the names' message ids (translated where they are shown).
DENSE_CITIES = {
    "Belgrade": ((44.70, 20.28), (44.90, 20.62)),
    "Novi Sad": ((45.20, 19.72), (45.33, 19.95)),
    "Niš": ((43.26, 21.80), (43.39, 22.02)),
    "Prishtina": ((42.60, 21.08), (42.72, 21.25)),
}
