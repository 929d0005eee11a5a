import DoppelCore
import Foundation

/// Turns a report's HTML file into a PNG screenshot or a PDF with headless Chromium.
///
/// Chromium is found on `PATH` as `chromium` or `chromium-browser` (Debian's package is
/// `chromium`: `apt-get install chromium`); the environment variable `DOPPEL_CHROMIUM` can name
/// another executable. Each call runs its own browser with a fresh, temporary profile, so several
/// can run at once. The output appears whole or not at all: Chromium writes a temporary file next
/// to it that is renamed into place when it succeeds.
public enum ReportRenderer {
  /// The width and height of the screenshot window, in CSS pixels.
  public static let windowSize = (width: 1280, height: 2000)

  /// The most seconds one Chromium run may take before it is stopped.
  public static let timeoutSeconds = 120.0

  /// The Chromium executable that will be used, or `nil` when none is installed.
  ///
  /// `DOPPEL_CHROMIUM` wins when it names an executable file; otherwise the first `chromium` or
  /// `chromium-browser` on `PATH`.
  public static var chromiumPath: String? {
    let environment = ProcessInfo.processInfo.environment
    let files = FileManager.default
    if let chosen = environment["DOPPEL_CHROMIUM"], !chosen.isEmpty,
      files.isExecutableFile(atPath: chosen)
    {
      return chosen
    }
    let directories = (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin")
      .split(separator: ":").map(String.init)
    for name in ["chromium", "chromium-browser"] {
      for directory in directories where !directory.isEmpty {
        let candidate = directory + "/" + name
        if files.isExecutableFile(atPath: candidate) { return candidate }
      }
    }
    return nil
  }

  /// Saves a screenshot of the report's first 1280 × 2000 CSS pixels as a PNG.
  /// - Parameters:
  ///   - htmlPath: The report's HTML file.
  ///   - pngPath: Where to write the PNG; replaced if it exists.
  /// - Throws: ``DoppelError`` `io` when the HTML file is missing, Chromium is not installed,
  ///   Chromium fails or times out, or it writes no image.
  public static func renderPNG(htmlPath: String, pngPath: String) throws {
    try render(
      htmlPath: htmlPath, outputPath: pngPath, what: "PNG screenshot",
      arguments: { output in
        [
          "--screenshot=" + output,
          "--window-size=\(windowSize.width),\(windowSize.height)",
        ]
      })
  }

  /// Prints the report to a PDF (A4 or Letter by Chromium's default, without header or footer).
  /// - Parameters:
  ///   - htmlPath: The report's HTML file.
  ///   - pdfPath: Where to write the PDF; replaced if it exists.
  /// - Throws: ``DoppelError`` `io` when the HTML file is missing, Chromium is not installed,
  ///   Chromium fails or times out, or it writes no PDF.
  public static func renderPDF(htmlPath: String, pdfPath: String) throws {
    try render(
      htmlPath: htmlPath, outputPath: pdfPath, what: "PDF",
      arguments: { output in
        ["--print-to-pdf=" + output, "--no-pdf-header-footer"]
      })
  }

  /// The command-line options every run shares, before the output options and the page URL.
  /// - Parameter profile: The temporary profile directory.
  /// - Returns: The options.
  static func commonArguments(profile: String) -> [String] {
    [
      "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
      "--no-default-browser-check", "--disable-extensions", "--disable-dev-shm-usage",
      "--user-data-dir=" + profile,
    ]
  }

  private static func render(
    htmlPath: String, outputPath: String, what: String, arguments: (String) -> [String]
  ) throws {
    let files = FileManager.default
    let input = URL(fileURLWithPath: htmlPath).standardizedFileURL
    guard files.fileExists(atPath: input.path) else {
      throw DoppelError(
        .io, "cannot find the report to render; write the HTML file first",
        context: .init(file: htmlPath))
    }
    guard let chromium = chromiumPath else {
      throw DoppelError(
        .io,
        "cannot render the \(what): Chromium is not installed; install it with"
          + " 'apt-get install chromium' or set DOPPEL_CHROMIUM to a Chromium executable",
        context: .init(file: outputPath))
    }
    let output = URL(fileURLWithPath: outputPath).standardizedFileURL
    let token = String(UInt64.random(in: 0...UInt64.max), radix: 36)
    let temporary = output.deletingLastPathComponent()
      .appendingPathComponent(".tmp-" + token + "-" + output.lastPathComponent)
    let profile = files.temporaryDirectory.appendingPathComponent("doppel-chromium-" + token)
    defer {
      try? files.removeItem(at: profile)
      try? files.removeItem(at: temporary)
    }
    let log = files.temporaryDirectory.appendingPathComponent("doppel-chromium-\(token).log")
    defer { try? files.removeItem(at: log) }
    guard files.createFile(atPath: log.path, contents: nil) else {
      throw DoppelError(
        .io,
        "cannot create a temporary file for Chromium's messages; check the temporary"
          + " directory", context: .init(file: log.path))
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: chromium)
    process.arguments =
      commonArguments(profile: profile.path) + arguments(temporary.path) + [input.absoluteString]
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = FileHandle.nullDevice
    let logHandle = try FileHandle(forWritingTo: log)
    defer { try? logHandle.close() }
    process.standardError = logHandle
    do {
      try process.run()
    } catch {
      throw DoppelError(
        .io, "cannot start Chromium to render the \(what); check that it runs",
        context: .init(file: chromium))
    }
    let deadline = Date().addingTimeInterval(timeoutSeconds)
    while process.isRunning && Date() < deadline {
      Thread.sleep(forTimeInterval: 0.05)
    }
    if process.isRunning {
      process.terminate()
      process.waitUntilExit()
      throw DoppelError(
        .io, "Chromium did not finish the \(what) within \(Int(timeoutSeconds)) seconds",
        context: .init(file: outputPath))
    }
    process.waitUntilExit()
    let size = (try? files.attributesOfItem(atPath: temporary.path)[.size] as? Int) ?? 0
    guard process.terminationStatus == 0, size > 0 else {
      throw DoppelError(
        .io,
        "Chromium failed to render the \(what) (exit status \(process.terminationStatus))"
          + lastMessage(log) + "; run it by hand to see why",
        context: .init(file: outputPath))
    }
    do {
      if files.fileExists(atPath: output.path) { try files.removeItem(at: output) }
      try files.moveItem(at: temporary, to: output)
    } catch {
      throw DoppelError(
        .io, "cannot move the \(what) into place; check that its directory is writable",
        context: .init(file: outputPath))
    }
  }

  /// The last error line Chromium printed, as `: message`, or nothing.
  private static func lastMessage(_ log: URL) -> String {
    guard let data = try? Data(contentsOf: log) else { return "" }
    let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
    guard
      let line = lines.last(where: { $0.contains("ERROR") || $0.contains("rror") }) ?? lines.last
    else { return "" }
    return ": " + String(line.prefix(240))
  }
}
