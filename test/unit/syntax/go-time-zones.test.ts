import { describe, expect, it } from "vitest";
import { goTimeZoneSuggestion, isGoTimeZone } from "../../../scripts/stack/syntax/go-time-zones.ts";

describe("time zones as Go's LoadLocation takes them", () => {
  it("knows IANA names, their backward-compatible aliases, UTC and Local", () => {
    for (const name of ["UTC", "Local", "Europe/Berlin", "America/Argentina/Buenos_Aires", "US/Eastern", "Asia/Calcutta", "Etc/GMT+5", "GMT", "EST5EDT"])
      expect(isGoTimeZone(name), name).toBe(true);
  });

  it("is case-sensitive and knows no CLDR-only names, unlike Intl", () => {
    for (const name of ["europe/paris", "utc", "UTC+1", "Mars/Olympus", "", "../etc/passwd", "/usr/share/zoneinfo/UTC"]) expect(isGoTimeZone(name), name).toBe(false);
  });

  it("suggests the name Go knows", () => {
    expect(goTimeZoneSuggestion("europe/paris")).toBe("Europe/Paris");
    expect(goTimeZoneSuggestion("AMERICA/NEW_YORK")).toBe("America/New_York");
    expect(goTimeZoneSuggestion("Mars/Olympus")).toBeUndefined();
  });
});
