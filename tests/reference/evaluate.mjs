// The reference evaluator: opening_hours.js (pinned in package.json) answers for
// tests/test_hours_reference.py. Run with TZ=Europe/London: the library reads and
// writes times in the process's local time zone.
//
// stdin:  {"places": [{"name", "lat", "lon", "state"}], "values": [string],
//          "cases": [[place_index, epoch_ms], ...]}
// stdout: {"library": version, "timezone": zone, "results": [one per value:
//          {"error": null | string,
//           "states": one letter per case, "o" open, "c" closed, "u" unknown,
//                     "e" when the library throws at that case,
//           "comments": [null | string (the comment, or what was thrown), one per case],
//           "warnings": [string: what the library says is unclear in the value]}]}
// A value the library refuses to parse has an error and no answers.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import OpeningHours from 'opening_hours';

const require = createRequire(import.meta.url);
const { version } = require('opening_hours/package.json');
const { places, values, cases } = JSON.parse(readFileSync(0, 'utf8'));

// What Nominatim's reverse geocoding gives: the state picks the nation's bank holidays;
// lat and lon must be strings, as Nominatim sends them, or the library ignores them and
// takes fixed times for sunrise (06:00), sunset (18:00), dawn and dusk.
const nominatim = places.map(({ lat, lon, state }) => ({
  lat: String(lat),
  lon: String(lon),
  address: { country_code: 'gb', state },
}));

const message = (error) => String(error?.message ?? error);

function evaluate(value) {
  // One object per place (it holds the nation's holidays and the sun's times); a value
  // the library cannot parse throws here, and is refused.
  const hours = nominatim.map(
    (where) => new OpeningHours(value, where, { tag_key: 'opening_hours' }),
  );
  let states = '';
  const comments = [];
  for (const [place, epochMs] of cases) {
    try {
      // What getState(date), getUnknown(date) and getComment(date) each compute.
      const it = hours[place].getIterator(new Date(epochMs));
      states += it.getUnknown() ? 'u' : it.getState() ? 'o' : 'c';
      comments.push(it.getComment() ?? null);
    } catch (error) {
      // 3.15.0 throws 'Variable time "sunrise" does not occur on this date' in the
      // night of the autumn clock change: that answer is missing, not the value's.
      states += 'e';
      comments.push(message(error));
    }
  }
  return { error: null, states, comments, warnings: hours[0].getWarnings() };
}

const results = values.map((value) => {
  try {
    return evaluate(value);
  } catch (error) {
    return { error: message(error), states: '', comments: [], warnings: [] };
  }
});
const timezone = Intl.DateTimeFormat().resolvedOptions().timeZone;
process.stdout.write(JSON.stringify({ library: version, timezone, results }));
