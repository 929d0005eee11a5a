import Foundation

/// A UTC calendar date and time of day, converted without `Calendar` or the local time zone.
///
/// Uses Howard Hinnant's `days_from_civil` and `civil_from_days` algorithms ("chrono-Compatible
/// Low-Level Date Algorithms", 2013), exact for the proleptic Gregorian calendar.
struct CivilTime: Equatable {
  /// The year, such as 2021.
  var year: Int
  /// The month, 1 to 12.
  var month: Int
  /// The day of the month, 1 to 31.
  var day: Int
  /// The hour, 0 to 23.
  var hour: Int
  /// The minute, 0 to 59.
  var minute: Int

  /// Splits seconds since 1970-01-01T00:00:00Z into calendar parts (UTC).
  /// - Parameter seconds: A finite number of seconds.
  init(seconds: Double) {
    let clamped = Swift.max(-1e13, Swift.min(1e13, seconds))
    let whole = Int64(floor(clamped))
    var days = whole / 86_400
    var rest = whole % 86_400
    if rest < 0 {
      rest += 86_400
      days -= 1
    }
    let shifted = days + 719_468
    let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
    let dayOfEra = shifted - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let monthPrime = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * monthPrime + 2) / 5 + 1
    let month = monthPrime < 10 ? monthPrime + 3 : monthPrime - 9
    self.year = Int(yearOfEra + era * 400 + (month <= 2 ? 1 : 0))
    self.month = Int(month)
    self.day = Int(day)
    self.hour = Int(rest / 3600)
    self.minute = Int((rest % 3600) / 60)
  }

  /// The date as `YYYY-MM-DD`.
  var dateText: String {
    String(year) + "-" + NumberFormat.pad(month) + "-" + NumberFormat.pad(day)
  }

  /// Seconds since 1970-01-01T00:00:00Z at midnight UTC of a calendar day.
  /// - Parameters:
  ///   - year: The year.
  ///   - month: The month, 1 to 12; values outside roll into neighbouring years.
  ///   - day: The day of the month.
  /// - Returns: The seconds.
  static func seconds(year: Int, month: Int, day: Int) -> Double {
    let monthIndex = Int64(month - 1)
    let yearShift = monthIndex >= 0 ? monthIndex / 12 : (monthIndex - 11) / 12
    var y = Int64(year) + yearShift
    let m = monthIndex - yearShift * 12 + 1
    y -= m <= 2 ? 1 : 0
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    let days = era * 146_097 + dayOfEra - 719_468
    return Double(days) * 86_400
  }
}
