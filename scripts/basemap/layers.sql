-- The base map's layers (one statement per layer, `-- layer: NAME` before it), selected by build.sh from the
-- OpenStreetMap data that GDAL's OSM driver wrote into a GeoPackage (tables points, lines, multipolygons; it
-- writes the tag name:sr-Latn as the column "name_sr-Latn").
-- The schema, shared with the municipalities' own base (app/basemap/outline.py) and drawn by static/js/basemap.js:
-- every named feature has name, name_latn, name_cyrl, name_sq, name_en; `kind` says what it is.

-- layer: places
SELECT geom, place AS kind, name, "name_sr-Latn" AS name_latn, name_sr AS name_cyrl, name_sq,
       name_en, CAST(population AS INTEGER) AS population
FROM points WHERE place IN ('city', 'town', 'village', 'suburb', 'quarter', 'neighbourhood', 'hamlet')

-- layer: water
SELECT geom FROM multipolygons
WHERE "natural" = 'water' OR water IS NOT NULL OR waterway = 'riverbank' OR landuse IN ('reservoir', 'basin')

-- layer: waterways
SELECT geom, waterway AS kind, name, "name_sr-Latn" AS name_latn, name_sr AS name_cyrl, name_sq,
       name_en
FROM lines WHERE waterway IN ('river', 'canal', 'stream') AND (tunnel IS NULL OR tunnel = 'no')

-- layer: landuse
SELECT geom, CASE
         WHEN leisure IN ('park', 'garden') THEN 'park'
         WHEN landuse = 'forest' OR "natural" = 'wood' THEN 'forest'
         WHEN landuse IN ('grass', 'meadow', 'village_green') OR "natural" = 'grassland' THEN 'grass'
         WHEN landuse = 'cemetery' THEN 'cemetery'
         WHEN landuse = 'residential' THEN 'residential'
         WHEN landuse IN ('industrial', 'commercial', 'retail', 'railway') THEN 'industrial'
         ELSE 'farmland' END AS kind
FROM multipolygons
WHERE leisure IN ('park', 'garden') OR "natural" IN ('wood', 'grassland')
   OR landuse IN ('forest', 'grass', 'meadow', 'village_green', 'cemetery', 'residential', 'industrial', 'commercial',
                  'retail', 'railway', 'farmland', 'orchard', 'vineyard', 'allotments')

-- layer: roads
SELECT geom, replace(highway, '_link', '') AS kind, name, "name_sr-Latn" AS name_latn, name_sr AS name_cyrl,
       name_sq, name_en
FROM lines WHERE highway IN ('motorway', 'motorway_link', 'trunk', 'trunk_link', 'primary', 'primary_link')

-- layer: streets
SELECT geom, CASE WHEN highway IN ('secondary', 'secondary_link') THEN 'secondary'
                  WHEN highway IN ('tertiary', 'tertiary_link') THEN 'tertiary'
                  ELSE 'minor' END AS kind,
       name, "name_sr-Latn" AS name_latn, name_sr AS name_cyrl, name_sq, name_en
FROM lines WHERE highway IN ('secondary', 'secondary_link', 'tertiary', 'tertiary_link', 'residential', 'unclassified',
                             'living_street', 'pedestrian', 'service', 'road')

-- layer: paths
SELECT geom, highway AS kind FROM lines
WHERE highway IN ('footway', 'path', 'cycleway', 'steps', 'track', 'bridleway')

-- layer: railways
SELECT geom, railway AS kind FROM lines WHERE railway IN ('rail', 'light_rail', 'tram', 'subway', 'narrow_gauge')

-- layer: buildings
SELECT geom FROM multipolygons WHERE building IS NOT NULL AND building <> 'no'
