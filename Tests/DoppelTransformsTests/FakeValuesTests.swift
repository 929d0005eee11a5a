import DoppelCore
import DoppelTransforms
import Foundation
import Testing

private let seeds: [UInt64] = [0, 1, 42, 0xDEAD_BEEF]

private func shapeMatches(_ value: String, _ shape: TextShape) -> Bool {
  TextShape(of: value) == shape
}

@Suite("Fake personal data")
struct FakeValuesTests {
  @Test("a shape masks digits and letters and keeps other characters")
  func shapes() {
    #expect(TextShape(of: "(555) 010-4477").pattern == "(999) 999-9999")
    #expect(TextShape(of: "SW1A 1aa").pattern == "AA9A 9aa")
    #expect(TextShape(of: "+44 20 7946 0958").pattern == "+99 99 9999 9999")
    #expect(TextShape(of: "Zoë-9").pattern == "Aaa-9")
    #expect(TextShape(of: "123-45-6789").digitCount == 9)
  }

  @Test("learned shapes are the most frequent, ordered by count then pattern, weights summing to 1")
  func learning() {
    let values = ["12345", "", "54321", "12345-6789", "K1A 0B1", "99999", "H0H 0H0", "A"]
    let learned = TextShape.learnShapes(from: values, limit: 2)
    #expect(learned.map(\.shape.pattern) == ["99999", "A9A 9A9"])
    #expect(learned.map(\.weight) == [0.6, 0.4])
    let all = TextShape.learnShapes(from: values, limit: 10)
    #expect(all.map(\.shape.pattern) == ["99999", "A9A 9A9", "99999-9999", "A"])
    #expect(abs(all.reduce(0) { $0 + $1.weight } - 1) < 1e-12)
    #expect(TextShape.learnShapes(from: ["", ""], limit: 3).isEmpty)
  }

  @Test("a generated value has its shape", arguments: seeds)
  func generation(seed: UInt64) {
    var generator = SeededGenerator(seed: seed)
    for pattern in ["(999) 999-9999", "AA9A 9AA", "99999-9999", "aa-99"] {
      let shape = TextShape(pattern: pattern)
      for _ in 0..<20 {
        #expect(shapeMatches(shape.generate(using: &generator), shape))
      }
    }
  }

  @Test("the same seed gives the same values for every kind", arguments: seeds)
  func deterministic(seed: UInt64) {
    func run() -> [String] {
      var generator = SeededGenerator(seed: seed, label: "pii")
      return PIIKind.allCases.flatMap { kind in
        FakeValueGenerator(kind: kind).values(count: 5, using: &generator)
      }
    }
    #expect(run() == run())
    var other = SeededGenerator(seed: seed &+ 1, label: "pii")
    #expect(
      run()
        != PIIKind.allCases.flatMap { FakeValueGenerator(kind: $0).values(count: 5, using: &other) }
    )
  }

  @Test("e-mails use only reserved example domains", arguments: seeds)
  func emails(seed: UInt64) throws {
    var generator = SeededGenerator(seed: seed)
    for _ in 0..<200 {
      let email = FakeValues.email(using: &generator)
      let parts = email.split(separator: "@")
      try #require(parts.count == 2)
      #expect(FakeValues.exampleDomains.contains(String(parts[1])))
      #expect(parts[0].allSatisfy { $0.isLowercase || $0.isNumber || $0 == "." || $0 == "_" })
    }
  }

  @Test("names come from the built-in lists and addresses look like streets", arguments: seeds)
  func namesAndAddresses(seed: UInt64) throws {
    var generator = SeededGenerator(seed: seed)
    for _ in 0..<100 {
      #expect(NameLists.firstNames.contains(FakeValues.firstName(using: &generator)))
      #expect(NameLists.lastNames.contains(FakeValues.lastName(using: &generator)))
      let name = FakeValues.personName(using: &generator).split(separator: " ")
      #expect((2...3).contains(name.count))
      #expect(NameLists.firstNames.contains(String(name[0])))
      let address = FakeValues.streetAddress(using: &generator).split(separator: " ")
      try #require(address.count == 3)
      #expect(Int(address[0]).map { (1...9_999).contains($0) } == true)
      #expect(address[2].first?.isUppercase == true)
    }
  }

  @Test(
    "phone numbers keep the learned shape and end in the fictional 555-01 range", arguments: seeds)
  func phones(seed: UInt64) {
    var generator = SeededGenerator(seed: seed)
    let fake = FakeValueGenerator(
      kind: .phone, learningFrom: ["(212) 736-5000", "(415) 555-2671", "+1 617 253 1000"])
    for _ in 0..<100 {
      let phone = fake.next(using: &generator)
      #expect(fake.shapes.contains { shapeMatches(phone, $0.shape) })
      let digits = phone.filter(\.isNumber)
      #expect(digits.dropLast(2).hasSuffix("55501"))
    }
  }

  @Test("national ids are never issued numbers: SSN area 900–999, group 10–49", arguments: seeds)
  func nationalIDs(seed: UInt64) throws {
    var generator = SeededGenerator(seed: seed)
    let fake = FakeValueGenerator(kind: .nationalID, learningFrom: ["078-05-1120", "219-09-9999"])
    #expect(fake.shapes.map(\.shape.pattern) == ["999-99-9999"])
    for _ in 0..<200 {
      let ssn = fake.next(using: &generator)
      #expect(shapeMatches(ssn, FakeValues.defaultNationalIDShape))
      let parts = ssn.split(separator: "-").compactMap { Int($0) }
      try #require(parts.count == 3)
      #expect((900...999).contains(parts[0]))
      #expect((10...49).contains(parts[1]))
    }
    let nino = FakeValues.nationalID(shape: TextShape(pattern: "AA999999A"), using: &generator)
    #expect(nino.hasPrefix("QQ"))
  }

  @Test("postcodes follow the learned shapes")
  func postcodes() {
    var generator = SeededGenerator(seed: 7)
    let fake = FakeValueGenerator(kind: .postcode, learningFrom: ["SW1A 1AA", "M1 1AE", "B33 8TH"])
    for _ in 0..<50 {
      let code = fake.next(using: &generator)
      #expect(fake.shapes.contains { shapeMatches(code, $0.shape) })
    }
    #expect(FakeValues.postcode(shape: nil, using: &generator).count == 5)
  }

  @Test("a fitted generator stores shapes only, never a value of the data")
  func storesNoValues() throws {
    let values = ["(212) 736-5000", "(415) 555-2671"]
    let fake = FakeValueGenerator(kind: .phone, learningFrom: values)
    let json = String(decoding: try JSONEncoder().encode(fake), as: UTF8.self)
    for value in values { #expect(!json.contains(value)) }
    #expect(fake.shapes.allSatisfy { $0.shape.pattern.allSatisfy { !$0.isNumber || $0 == "9" } })
    let names = FakeValueGenerator(kind: .personName, learningFrom: ["Jane Roe"])
    #expect(names.shapes.isEmpty)
  }
}
