import DoppelCore

/// What a utility model predicts: a class or a number.
///
/// The label column's kind decides the task, so the metadata is the one place to change it:
/// `categorical` and `boolean` labels are classified, `numerical` and `datetime` labels are
/// regressed. A numeric code with few values (such as a 0/1/2 status) is detected as categorical
/// by ``MetadataDetector``; when it is not, edit the metadata to make it `categorical`.
public enum UtilityTask: String, Sendable, Codable, Equatable, CaseIterable {
  /// Predict one of a fixed set of classes; scored by accuracy, macro F1 and ROC AUC.
  case classification
  /// Predict a number; scored by R² and mean absolute error.
  case regression

  /// The task for a label of `kind`, or `nil` when the kind cannot be a label.
  /// - Parameter kind: The label column's kind.
  /// - Returns: `classification` for categorical and boolean labels, `regression` for numerical
  ///   and datetime labels, `nil` for identifiers, free text and personal data.
  public static func task(for kind: ColumnKind) -> UtilityTask? {
    switch kind {
    case .categorical, .boolean: return .classification
    case .numerical, .datetime: return .regression
    case .id, .text, .pii: return nil
    }
  }
}
