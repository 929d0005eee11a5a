import DoppelServer
import DoppelTesting
import Foundation
import Testing

@Suite("PostgreSQL job store")
struct PostgresJobStoreTests {
  @Test("tokens, jobs and models keep their state and ownership in PostgreSQL")
  func roundTrip() async throws {
    guard let base = try TestServices.postgresURL() else { return }
    let url = base + "&schema=jobs_\(UInt32.random(in: 0...UInt32.max))"
    let store = try await PostgresJobStore(url: url, logger: quietLogger)
    // A second open of the same schema finds the migrations done.
    let again = try await PostgresJobStore(url: url, logger: quietLogger)
    await again.close()

    let (token, secret) = try await Tokens.create(name: "pg", in: store)
    #expect(try await store.activeToken(hash: Tokens.hash(secret))?.id == token.id)
    let dataset = DatasetRecord(
      id: "ds_" + String(repeating: "a", count: 32), owner: token.id, name: "d", bytes: 10,
      rows: 2, metadata: "{}", createdAt: Date(timeIntervalSince1970: 1_700_000_000))
    try await store.insert(dataset)
    #expect(try await store.dataset(dataset.id, owner: token.id) == dataset)
    #expect(try await store.dataset(dataset.id, owner: "someone else") == nil)

    var job = JobRecord(
      id: "job_" + String(repeating: "b", count: 32), owner: token.id, datasetID: dataset.id,
      synthesizer: nil, options: "{}", seed: 5, label: nil,
      now: Date(timeIntervalSince1970: 1_700_000_001))
    try await store.insert(job)
    #expect(try await store.jobs(in: .queued).map(\.id) == [job.id])
    // Only a running job takes a worker's update.
    #expect(try await store.updateRunning(job) == false)
    job.state = .running
    try await store.update(job)
    job.progress = 0.5
    #expect(try await store.updateRunning(job))
    job.state = .succeeded
    let model = ModelRecord(
      id: "mdl_" + String(repeating: "c", count: 32), owner: token.id, jobID: job.id,
      datasetID: dataset.id, synthesizer: "gaussian-copula", options: "{}", reason: "test",
      bytes: 1, createdAt: Date(timeIntervalSince1970: 1_700_000_002))
    try await store.finish(job, model: model)
    #expect(try await store.job(job.id, owner: token.id) == job)
    #expect(try await store.models(owner: token.id) == [model])
    #expect(try await store.deleteModel(model.id, owner: "someone else") == false)
    #expect(try await store.deleteModel(model.id, owner: token.id))
    #expect(try await store.revokeToken("pg", at: Date()))
    #expect(try await store.activeToken(hash: Tokens.hash(secret)) == nil)
    await store.close()
  }
}
