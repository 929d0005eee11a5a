/// Receives progress of long work (fitting, sampling, scanning) so a caller can show it.
///
/// Named `ProgressReporter`, not `Progress`, so it never clashes with Foundation's `Progress`.
/// The library calls ``report(_:)`` from any thread; the CLI draws a bar on a terminal and plain
/// lines otherwise.
public struct ProgressReporter: Sendable {
  /// One progress update.
  public struct Event: Sendable, Equatable {
    /// What is being done, such as `"fitting marginals"`.
    public var stage: String
    /// Units done so far.
    public var completed: Int
    /// Units in all, if known.
    public var total: Int?
    /// Figures that change from update to update within the stage, such as current losses.
    public var detail: String?

    /// Creates an event.
    /// - Parameters:
    ///   - stage: What is being done.
    ///   - completed: Units done so far.
    ///   - total: Units in all, if known.
    ///   - detail: Changing figures shown next to the bar, if any.
    public init(stage: String, completed: Int, total: Int?, detail: String? = nil) {
      self.stage = stage
      self.completed = completed
      self.total = total
      self.detail = detail
    }
  }

  private let handler: @Sendable (Event) -> Void

  /// Creates a reporter that passes each event to `handler`.
  /// - Parameter handler: Called for every update, possibly from several threads.
  public init(_ handler: @escaping @Sendable (Event) -> Void) {
    self.handler = handler
  }

  /// Reports progress.
  /// - Parameter event: The update.
  public func report(_ event: Event) {
    handler(event)
  }

  /// Reports progress of a stage.
  /// - Parameters:
  ///   - stage: What is being done.
  ///   - completed: Units done so far.
  ///   - total: Units in all, if known.
  public func report(_ stage: String, _ completed: Int, of total: Int?) {
    handler(Event(stage: stage, completed: completed, total: total))
  }
}
