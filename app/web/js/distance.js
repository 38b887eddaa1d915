// Distances and directions on the phone, for the saved list when there is no signal.
// The same rules as the server, with its own values (app/venues/geo.py, through
// js/constants.js): how far a walk really is, how fast, when it is too far to walk,
// what is nearby, and when "here" beats a direction. The distance itself is a
// haversine on the mean Earth: close enough on foot, and a little JS. Also whether a
// position is in the scheme's area, tested here so the position never leaves the phone.
import {
  COMPASS_POINTS, HERE_M, MAX_WALK_M, NEARBY_MINUTES, ROUTE_FACTOR, WALKING_METRES_PER_MINUTE,
} from "./constants.js";
import { bestOpen } from "./places.js";
import { openingFromSpans } from "./opening.js";

const EARTH_RADIUS_M = 6371008.8;

const radians = (degrees) => (degrees * Math.PI) / 180;

// Haversine distance (metres) and initial bearing (degrees from north).
export function distanceAndBearing(lat1, lon1, lat2, lon2) {
  const p1 = radians(lat1);
  const p2 = radians(lat2);
  const dp = p2 - p1;
  const dl = radians(lon2 - lon1);
  const a = Math.sin(dp / 2) ** 2 + Math.cos(p1) * Math.cos(p2) * Math.sin(dl / 2) ** 2;
  const metres = 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
  const y = Math.sin(dl) * Math.cos(p2);
  const x = Math.cos(p1) * Math.sin(p2) - Math.sin(p1) * Math.cos(p2) * Math.cos(dl);
  return [metres, ((Math.atan2(y, x) * 180) / Math.PI + 360) % 360];
}

export function walkingMinutes(metres) {
  if (metres > MAX_WALK_M) return null;
  return Math.max(1, Math.ceil((metres * ROUTE_FACTOR) / WALKING_METRES_PER_MINUTE));
}

// Whether a point is in the scheme's area: a convex outline of [latitude, longitude]
// corners, anticlockwise (GET /api/area). With no outline (no venues), everywhere is.
export function insideOutline(outline, lat, lon) {
  if (!outline?.length) return true;
  return outline.every(([aLat, aLon], index) => {
    const [bLat, bLon] = outline[(index + 1) % outline.length];
    return (bLon - aLon) * (lat - aLat) - (bLat - aLat) * (lon - aLon) >= 0;
  });
}

export function directionWords(metres, bearing) {
  return metres < HERE_M ? "here" : COMPASS_POINTS[Math.round(bearing / 45) % 8];
}

// The saved venues as /api/venues/nearest gives them: nearest first, with the nearest
// open one (which may be further than the first `limit`).
export function nearestFromList(list, lat, lon, nowMs, limit = 8) {
  const ranked = list.venues
    .map((venue) => {
      const [metres, bearing] = distanceAndBearing(lat, lon, venue.latitude, venue.longitude);
      return { venue, metres, bearing };
    })
    .sort((a, b) => a.metres - b.metres);
  const describe = ({ venue, metres, bearing }) => {
    const minutes = walkingMinutes(metres);
    return {
      ...venue,
      distance_m: Math.round(metres),
      walking_minutes: minutes,
      nearby: minutes !== null && minutes <= NEARBY_MINUTES,
      direction: directionWords(metres, bearing),
      ...openingFromSpans(venue, nowMs, list),
    };
  };
  const venues = ranked.slice(0, limit).map(describe);
  // Like the server's open_now=true with limit 5: the nearest open places, then the best.
  const open = venues.filter((venue) => venue.open_now === true);
  for (const candidate of ranked.slice(limit)) {
    if (open.length >= 5) break;
    const described = describe(candidate);
    if (described.open_now === true) open.push(described);
  }
  // Past the list's week nothing is known of opening times (js/opening.js says unknown).
  const tooOld = nowMs / 1000 >= list.valid_until;
  return { venues, nearestOpen: bestOpen(open, nowMs), tooOld };
}
