// Natural Earth's countries (world-atlas), served by the app from /static/map with no tiles and no
// CDN, projected once with d3-geo for every map the explorer draws.
//
// d3-geo, d3-array and topojson-client are the pinned npm builds that index.html loads as
// classic scripts; they define the globals `d3` and `topojson`.

// Natural Earth at 1:110m for most countries; the small ones it leaves out (Singapore, Malta,
// Bahrain…) come from the 1:50m map. 1:50m for all would be ten times the points to project.
const FILES = ["/static/map/countries-110m.json", "/static/map/countries-50m.json"];
/** The width of every map, in the SVG's units; its height follows from the projection. */
export const WIDTH = 960;
// Antarctica (ISO 010) has no posts; leaving it out gives the inhabited world more room.
const LEFT_OUT = new Set(["010"]);

let fetched = null;
let projected = null;

const scriptsMissing = () => !window.d3?.geoPath || !window.topojson;

async function fetchTopology(file) {
  const response = await fetch(file);
  if (!response.ok) {
    throw new Error(`the map's data is missing (${response.status}): run \`make assets\`.`);
  }
  return response.json();
}

/** Both maps' files, fetched and parsed once; started as early as the page allows. */
export function fetchWorld() {
  if (scriptsMissing()) {
    return Promise.reject(new Error("the map's scripts are missing: run `make assets`."));
  }
  fetched ??= Promise.all(FILES.map(fetchTopology));
  fetched.catch(() => {
    fetched = null; // tried again by the next map
  });
  return fetched;
}

const shapeKey = (geometry) => geometry.id ?? geometry.properties.name;

function once(compute) {
  let value;
  return () => {
    value ??= compute();
    return value;
  };
}

/** The largest polygon of a country, where its mainland is: France without French Guiana. */
function largestPart(feature, d3) {
  if (feature.geometry.type !== "MultiPolygon") {
    return feature;
  }
  const parts = feature.geometry.coordinates.map((coordinates) => ({
    type: "Polygon",
    coordinates,
  }));
  const areas = parts.map((part) => d3.geoArea(part));
  return parts[areas.indexOf(Math.max(...areas))];
}

function project([coarse, fine]) {
  const { d3, topojson } = window;
  const drawn = new Set(coarse.objects.countries.geometries.map(shapeKey));
  const small = {
    type: "GeometryCollection",
    geometries: fine.objects.countries.geometries.filter((g) => !drawn.has(shapeKey(g))),
  };
  const features = [
    ...topojson.feature(coarse, coarse.objects.countries).features,
    ...topojson.feature(fine, small).features,
  ].filter((feature) => !LEFT_OUT.has(feature.id));
  // Fitted to the inhabited world's extent as a frame of points: fitting to every country's
  // outline would cost a projection of the whole map.
  const frame = { type: "MultiPoint", coordinates: [] };
  for (let longitude = -180; longitude <= 180; longitude += 5) {
    for (const latitude of [-56, 0, 84]) {
      frame.coordinates.push([longitude, latitude]);
    }
  }
  const projection = d3.geoNaturalEarth1().fitWidth(WIDTH, frame);
  const path = d3.geoPath(projection).digits(1);
  const shapes = features.map((feature) => ({
    numeric: feature.id ?? null,
    english: feature.properties.name,
    d: path(feature),
    // Only a few shapes are framed or have posts placed at their centre: worked out when asked.
    bounds: once(() => path.bounds(feature)),
    centre: once(() => path.centroid(largestPart(feature, d3))),
  }));
  return {
    shapes,
    height: Math.ceil(path.bounds(frame)[1][1]) + 2,
    project: (longitude, latitude) => projection([longitude, latitude]),
  };
}

/**
 * The countries' shapes, projected once: {shapes: [{numeric, english, d, bounds(), centre()}],
 * height, project(longitude, latitude)}. Rejects when the map's files are missing (the server
 * was started without `make assets`).
 */
export function loadWorld() {
  projected ??= fetchWorld().then(project);
  projected.catch(() => {
    projected = null;
  });
  return projected;
}
