import DoppelCore
import Testing

@Suite("DateTimeFormat parsing and formatting")
struct DateTimeFormatTests {
  @Test("known instants parse to the right seconds since 1970")
  func knownInstants() {
    #expect(DateTimeFormat.isoDate.parse("1970-01-01") == 0)
    #expect(DateTimeFormat.isoDate.parse("1970-01-02") == 86_400)
    #expect(DateTimeFormat.isoDate.parse("1969-12-31") == -86_400)
    #expect(DateTimeFormat.isoDate.parse("2000-03-01") == 951_868_800)
    #expect(DateTimeFormat.isoDateTimeUTC.parse("2013-01-01T10:00:00Z") == 1_357_034_400)
    #expect(
      DateTimeFormat("%Y-%m-%dT%H:%M:%S%z").parse("2013-01-01T12:00:00+02:00") == 1_357_034_400)
    #expect(
      DateTimeFormat("%Y-%m-%dT%H:%M:%S%z").parse("2013-01-01T05:00:00-0500") == 1_357_034_400)
    #expect(DateTimeFormat("%m/%d/%Y").parse("12/31/1999") == 946_598_400)
    #expect(DateTimeFormat("%d.%m.%Y").parse("31.12.1999") == 946_598_400)
    #expect(DateTimeFormat("%-m/%-d/%Y %-H:%M").parse("1/2/1970 0:05") == 86_700)
    #expect(DateTimeFormat("%Y-%m-%d %H:%M:%S.%3f").parse("1970-01-01 00:00:01.250") == 1.25)
    #expect(DateTimeFormat.isoDate.parse("1600-02-29") == -11_670_998_400)
  }

  @Test(
    "formatting a parsed value gives back the same text",
    arguments: [
      ("%Y-%m-%d", "2024-02-29"),
      ("%Y-%m-%d", "1905-04-02"),
      ("%Y-%m-%d", "0001-01-01"),
      ("%Y-%m-%d", "9999-12-31"),
      ("%Y-%m-%dT%H:%M:%SZ", "2013-01-01T10:00:00Z"),
      ("%Y-%m-%dT%H:%M:%S", "1969-07-20T20:17:40"),
      ("%Y-%m-%d %H:%M:%S", "1955-11-05 06:15:59"),
      ("%Y-%m-%dT%H:%M:%S.%3fZ", "2024-03-31T23:59:59.999Z"),
      ("%Y-%m-%dT%H:%M:%S.%6fZ", "1960-06-30T12:00:00.000001Z"),
      ("%Y-%m-%dT%H:%M:%S.%fZ", "2024-03-31T23:59:59.123456Z"),
      ("%m/%d/%Y", "07/04/1776"),
      ("%d/%m/%Y", "31/12/1999"),
      ("%d.%m.%Y", "01.01.2000"),
      ("%Y/%m/%d", "2000/02/29"),
      ("%m/%d/%Y %H:%M", "12/31/1999 23:59"),
      ("%-m/%-d/%Y", "1/5/2024"),
      ("%-m/%-d/%Y %-H:%M", "11/15/2024 0:00"),
      ("%-m/%-d/%Y %-H:%M", "11/15/2024 9:41"),
      ("%Y%%%m", "2024%03"),
    ])
  func roundTrip(pattern: String, text: String) throws {
    let format = DateTimeFormat(pattern)
    let seconds = try #require(format.parse(text))
    #expect(format.format(seconds) == text)
  }

  @Test(
    "impossible or malformed dates are rejected",
    arguments: [
      ("%Y-%m-%d", "2023-02-29"),
      ("%Y-%m-%d", "2024-02-30"),
      ("%Y-%m-%d", "2024-13-01"),
      ("%Y-%m-%d", "2024-00-10"),
      ("%Y-%m-%d", "2024-04-31"),
      ("%Y-%m-%d", "1900-02-29"),
      ("%Y-%m-%d", "2024-1-05"),
      ("%Y-%m-%d", "2024-01-05 "),
      ("%Y-%m-%d", ""),
      ("%Y-%m-%dT%H:%M:%SZ", "2024-01-01T24:00:00Z"),
      ("%Y-%m-%dT%H:%M:%SZ", "2024-01-01T12:60:00Z"),
      ("%Y-%m-%dT%H:%M:%SZ", "2024-01-01T12:00:60Z"),
      ("%Y-%m-%dT%H:%M:%SZ", "2024-01-01T12:00:00"),
      ("%m/%d/%Y", "13/01/2024"),
      ("%-m/%-d/%Y", "01/05/2024"),
      ("%Y-%m-%dT%H:%M:%S.%3fZ", "2024-01-01T00:00:00.12Z"),
    ])
  func invalid(pattern: String, text: String) {
    #expect(DateTimeFormat(pattern).parse(text) == nil)
  }

  @Test("resolution follows the finest field of the pattern")
  func resolution() {
    #expect(DateTimeFormat.isoDate.resolution == 86_400)
    #expect(DateTimeFormat("%m/%d/%Y %H:%M").resolution == 60)
    #expect(DateTimeFormat.isoDateTimeUTC.resolution == 1)
    #expect(DateTimeFormat("%Y-%m-%dT%H:%M:%S.%3fZ").resolution == 0.001)
    #expect(DateTimeFormat("%Y-%m-%dT%H:%M:%S.%fZ").resolution == 1e-6)
  }

  @Test("formatting rounds to the resolution and writes offsets as Z")
  func formattingRounds() {
    #expect(DateTimeFormat.isoDate.format(86_400 * 1.4) == "1970-01-02")
    #expect(DateTimeFormat.isoDate.format(86_400 * 1.6) == "1970-01-03")
    #expect(DateTimeFormat.isoDate.format(.nan) == "")
    #expect(DateTimeFormat("%Y-%m-%dT%H:%M:%S%z").format(0) == "1970-01-01T00:00:00Z")
    #expect(DateTimeFormat("%Y-%m-%d %H:%M:%S.%3f").format(0.9996) == "1970-01-01 00:00:01.000")
  }

  @Test("unsupported directives make a format invalid")
  func invalidPatterns() {
    #expect(!DateTimeFormat("%d %b %Y").isValid)
    #expect(!DateTimeFormat("").isValid)
    #expect(!DateTimeFormat("%Y-%").isValid)
    #expect(DateTimeFormat("%d %b %Y").parse("01 Jan 2024") == nil)
    #expect(DateTimeFormat.detectionCandidates.allSatisfy { $0.isValid })
  }
}
