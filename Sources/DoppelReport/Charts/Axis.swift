import Foundation

/// A chart axis: the value range it spans and its labelled ticks.
///
/// Numeric ticks fall on 1-2-5 steps (1, 2, 5, 10, 20, 50, …), the "nice numbers" of Heckbert
/// ("Nice numbers for graph labels", Graphics Gems, 1990). Date ticks fall on whole years, months,
/// days or hours in UTC.
struct Axis: Equatable {
  /// One tick mark and its label.
  struct Tick: Equatable {
    /// The value at the tick.
    var value: Double
    /// The label drawn beside it.
    var label: String
  }

  /// The smallest value on the axis.
  var lower: Double
  /// The largest value on the axis.
  var upper: Double
  /// The ticks, in increasing order, all within `lower...upper`.
  var ticks: [Tick]

  /// Maps a value to a position between two pixel coordinates.
  /// - Parameters:
  ///   - value: The value.
  ///   - start: The pixel position of ``lower``.
  ///   - end: The pixel position of ``upper``.
  /// - Returns: The pixel position.
  func position(_ value: Double, from start: Double, to end: Double) -> Double {
    let span = upper - lower
    guard span > 0, value.isFinite else { return (start + end) / 2 }
    return start + (value - lower) / span * (end - start)
  }

  /// The 1-2-5 step that gives about `count` intervals over `span`.
  /// - Parameters:
  ///   - span: The width of the range, positive.
  ///   - count: The wished number of intervals.
  /// - Returns: A step of the form {1, 2, 5} × 10ⁿ.
  static func niceStep(span: Double, count: Int) -> Double {
    guard span > 0, span.isFinite else { return 1 }
    let rough = span / Double(Swift.max(1, count))
    let magnitude = pow(10, floor(log10(rough)))
    let residual = rough / magnitude
    let factor: Double
    if residual <= 1.0 + 1e-9 {
      factor = 1
    } else if residual <= 2.0 + 1e-9 {
      factor = 2
    } else if residual <= 5.0 + 1e-9 {
      factor = 5
    } else {
      factor = 10
    }
    return factor * magnitude
  }

  /// A numeric axis with ticks on a 1-2-5 step.
  /// - Parameters:
  ///   - lower: The smallest value to show.
  ///   - upper: The largest value to show.
  ///   - count: About how many intervals to draw.
  ///   - expand: Whether to widen the range to the ticks just outside it.
  ///   - format: The tick label for a value, given the step.
  /// - Returns: The axis.
  static func numeric(
    lower: Double, upper: Double, count: Int = 5, expand: Bool = true,
    format: (Double, Double) -> String = NumberFormat.compact
  ) -> Axis {
    var (low, high) = finiteRange(lower, upper)
    if high - low <= 0 {
      let pad = low == 0 ? 1 : Swift.abs(low) * 0.1
      low -= pad
      high += pad
    }
    let step = niceStep(span: high - low, count: count)
    let firstIndex = expand ? floor(low / step + 1e-9) : ceil(low / step - 1e-9)
    let lastIndex = expand ? ceil(high / step - 1e-9) : floor(high / step + 1e-9)
    let axisLow = expand ? firstIndex * step : low
    let axisHigh = expand ? lastIndex * step : high
    var ticks: [Tick] = []
    if lastIndex >= firstIndex && lastIndex - firstIndex < 1000 {
      for index in Int(firstIndex)...Int(lastIndex) {
        let value = clean(Double(index) * step, step: step)
        ticks.append(Tick(value: value, label: format(value, step)))
      }
    }
    return Axis(lower: axisLow, upper: axisHigh, ticks: ticks)
  }

  /// A share axis from 0 to a 1-2-5 value above `maximum`, labelled in percent.
  /// - Parameters:
  ///   - maximum: The largest share drawn, in [0, 1].
  ///   - count: About how many intervals to draw.
  /// - Returns: The axis.
  static func share(maximum: Double, count: Int = 4) -> Axis {
    let top = maximum.isFinite && maximum > 0 ? maximum : 1
    return numeric(lower: 0, upper: top, count: count) { value, step in
      NumberFormat.compact(value * 100, step: step * 100) + "%"
    }
  }

  /// An axis for values that are dates (seconds since 1970 UTC), with calendar ticks.
  /// - Parameters:
  ///   - lower: The earliest value.
  ///   - upper: The latest value.
  ///   - count: About how many intervals to draw.
  /// - Returns: The axis, spanning exactly `lower...upper` (widened when they are equal).
  static func dates(lower: Double, upper: Double, count: Int = 5) -> Axis {
    var (low, high) = finiteRange(lower, upper)
    if high - low <= 0 {
      low -= 43_200
      high += 43_200
    }
    let days = (high - low) / 86_400
    var ticks: [Tick] = []
    if days > 3 * 365 {
      let start = CivilTime(seconds: low).year
      let end = CivilTime(seconds: high).year + 1
      let step = Swift.max(1, Int(niceStep(span: Double(end - start), count: count)))
      var year = Int((Double(start) / Double(step)).rounded(.down)) * step
      while year <= end {
        let value = CivilTime.seconds(year: year, month: 1, day: 1)
        if value >= low && value <= high { ticks.append(Tick(value: value, label: String(year))) }
        year += step
      }
    } else if days > 60 {
      let months = days / 30.4
      let step = [1, 2, 3, 6, 12].first { Double($0) * Double(count) >= months } ?? 12
      let begin = CivilTime(seconds: low)
      var index = begin.year * 12 + (begin.month - 1)
      index -= index % step
      while true {
        let year = index / 12
        let month = index % 12 + 1
        let value = CivilTime.seconds(year: year, month: month, day: 1)
        if value > high { break }
        if value >= low {
          ticks.append(Tick(value: value, label: String(year) + "-" + NumberFormat.pad(month)))
        }
        index += step
      }
    } else if days >= 2 {
      let step = niceStep(span: days, count: count) * 86_400
      var value = ceil(low / step) * step
      while value <= high {
        ticks.append(Tick(value: value, label: CivilTime(seconds: value).dateText))
        value += step
      }
    } else {
      let hours = (high - low) / 3600
      let stepHours = [1.0, 2, 3, 6, 12].first { $0 * Double(count) >= hours } ?? 12
      let step = hours < 1 ? niceStep(span: high - low, count: count) : stepHours * 3600
      var value = ceil(low / step) * step
      while value <= high {
        ticks.append(Tick(value: value, label: NumberFormat.date(value)))
        value += step
      }
    }
    return Axis(lower: low, upper: high, ticks: ticks)
  }

  /// A numeric or date axis, chosen by the kind of values.
  /// - Parameters:
  ///   - lower: The smallest value.
  ///   - upper: The largest value.
  ///   - isDate: Whether the values are dates.
  ///   - count: About how many intervals to draw.
  ///   - expand: Whether a numeric axis widens to the ticks just outside the range.
  /// - Returns: The axis.
  static func values(
    lower: Double, upper: Double, isDate: Bool, count: Int = 5, expand: Bool = true
  ) -> Axis {
    isDate
      ? dates(lower: lower, upper: upper, count: count)
      : numeric(lower: lower, upper: upper, count: count, expand: expand)
  }

  private static func finiteRange(_ lower: Double, _ upper: Double) -> (Double, Double) {
    let low = lower.isFinite ? lower : (upper.isFinite ? upper : 0)
    let high = upper.isFinite ? upper : low
    return (Swift.min(low, high), Swift.max(low, high))
  }

  /// Removes floating-point dust such as `0.30000000000000004` from a multiple of `step`.
  private static func clean(_ value: Double, step: Double) -> Double {
    let decimals = Swift.max(0, Swift.min(12, -Int(floor(log10(step))) + 1))
    let unit = pow(10, Double(decimals))
    let rounded = (value * unit).rounded() / unit
    return rounded == 0 ? 0 : rounded
  }
}
