import DoppelCore
import Testing

@Test("dump") func dump() throws {
  for name in ["adult.csv", "pbc.csv", "arthritis.csv", "jasa.csv"] {
    let text = try CSVFixture.load(name)
    let meta = MetadataDetector.detect(text)
    print(name, meta.rowCount ?? -1, "pk:", meta.primaryKey ?? "-")
    for c in meta.columns { print("  ", c.name, c.kind, c.distinctCount ?? -1, c.missingRate ?? -1) }
  }
}
