/// What a tree or forest learns to predict: one class or one number per row.
public enum TargetValues: Sendable, Equatable {
  /// Class indices in `0..<classCount`, one per row.
  case classes([Int32], classCount: Int)
  /// Numbers, one per row; all finite.
  case numbers([Double])

  /// The number of rows.
  public var count: Int {
    switch self {
    case .classes(let classes, _): return classes.count
    case .numbers(let numbers): return numbers.count
    }
  }

  /// `classification` for classes, `regression` for numbers.
  public var task: UtilityTask {
    switch self {
    case .classes: return .classification
    case .numbers: return .regression
    }
  }

  /// The number of values a model outputs per row: the class count, or 1 for numbers.
  public var outputWidth: Int {
    switch self {
    case .classes(_, let classCount): return classCount
    case .numbers: return 1
    }
  }

  /// The targets of the rows at `indices`, in that order.
  /// - Parameter indices: Row positions to keep.
  /// - Returns: One target per index.
  public func selecting(_ indices: [Int]) -> TargetValues {
    switch self {
    case .classes(let classes, let classCount):
      return .classes(indices.map { classes[$0] }, classCount: classCount)
    case .numbers(let numbers):
      return .numbers(indices.map { numbers[$0] })
    }
  }
}
