import Doppel
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Draws progress on standard error: a bar redrawn in place on a terminal, plain lines (at most
/// one per stage per tenth of the work) otherwise.
final class TerminalProgress: @unchecked Sendable {
  private let lock = NSLock()
  private let isTerminal: Bool
  private var lastStage = ""
  private var lastTenth = -1
  private var lastDraw = Date.distantPast
  private let start = Date()

  private init() {
    isTerminal = isatty(STDERR_FILENO) != 0
  }

  static func reporter() -> ProgressReporter {
    let progress = TerminalProgress()
    return ProgressReporter { progress.handle($0) }
  }

  private func handle(_ event: ProgressReporter.Event) {
    lock.lock()
    defer { lock.unlock() }
    let stageChanged = event.stage != lastStage
    if isTerminal {
      let now = Date()
      let done = event.total.map { event.completed >= $0 } ?? false
      guard stageChanged || done || now.timeIntervalSince(lastDraw) > 0.1 else { return }
      lastDraw = now
      if stageChanged && !lastStage.isEmpty { write("\n") }
      lastStage = event.stage
      var line = "\r\u{1B}[2K" + event.stage
      if let total = event.total, total > 0 {
        let fraction = min(1, Double(event.completed) / Double(total))
        let width = 30
        let filled = Int(fraction * Double(width))
        line +=
          " [" + String(repeating: "#", count: filled)
          + String(repeating: "-", count: width - filled) + "] "
        line += "\(event.completed)/\(total)"
        let elapsed = now.timeIntervalSince(start)
        if fraction > 0.02 && fraction < 1 {
          line += String(format: "  %.0fs left", elapsed * (1 - fraction) / fraction)
        }
      } else {
        line += " \(event.completed)"
      }
      if let detail = event.detail { line += "  " + detail }
      write(line)
      if done {
        write("\n")
        lastStage = ""
      }
    } else {
      let tenth = event.total.map { $0 > 0 ? event.completed * 10 / $0 : 10 } ?? -1
      guard stageChanged || tenth != lastTenth else { return }
      lastStage = event.stage
      lastTenth = tenth
      let detail = event.detail.map { "  " + $0 } ?? ""
      if let total = event.total {
        write("\(event.stage): \(event.completed)/\(total)\(detail)\n")
      } else {
        write("\(event.stage): \(event.completed)\(detail)\n")
      }
    }
  }

  private func write(_ text: String) {
    FileHandle.standardError.write(Data(text.utf8))
  }
}
