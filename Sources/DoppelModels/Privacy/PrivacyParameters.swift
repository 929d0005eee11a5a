import DoppelCore

/// Checks shared by the privacy mechanisms.
enum PrivacyParameters {
  static func checkPositive(_ value: Double, _ name: String) throws {
    guard value > 0, value.isFinite else {
      throw DoppelError(.invalidArgument, "\(name) must be a positive, finite number")
    }
  }
}
