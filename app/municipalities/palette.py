"""The colours of the density classes, shared by every choropleth: the municipalities page, its SVG image, the framed
map and the home map's density layer (which receives them from map_config())."""

# Light to dark; class 0 (no cameras) is the palest, "no value" is grey and hatched-looking (dashed outline).
COLOURS = ("#f4f1ee", "#fcd9b6", "#f9a66c", "#ec6a3d", "#c7362a", "#8c1d24")
NO_VALUE = "#bdbdbd"
