import Foundation

/// An 8-bit RGB or RGBA PNG decoded to pixels, enough to check a Chromium screenshot.
struct PNGImage {
  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  var width: Int
  var height: Int
  /// Bytes per pixel: 3 (RGB) or 4 (RGBA).
  var channels: Int
  /// Unfiltered rows, `width × channels` bytes each.
  var pixels: [UInt8]

  static let signature: [UInt8] = [137, 80, 78, 71, 13, 10, 26, 10]

  /// The red, green and blue of a pixel.
  func rgb(x: Int, y: Int) -> (Int, Int, Int) {
    let offset = (y * width + x) * channels
    return (Int(pixels[offset]), Int(pixels[offset + 1]), Int(pixels[offset + 2]))
  }

  init(data: Data) throws {
    let bytes = [UInt8](data)
    guard bytes.count > 8, Array(bytes[0..<8]) == Self.signature else {
      throw Failure(description: "no PNG signature")
    }
    var position = 8
    var compressed: [UInt8] = []
    var header: [UInt8] = []
    func word(_ at: Int) -> Int {
      Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3])
    }
    while position + 8 <= bytes.count {
      let length = word(position)
      let type = String(decoding: bytes[(position + 4)..<(position + 8)], as: UTF8.self)
      let start = position + 8
      guard start + length + 4 <= bytes.count else { throw Failure(description: "truncated chunk") }
      if type == "IHDR" { header = Array(bytes[start..<(start + length)]) }
      if type == "IDAT" { compressed += bytes[start..<(start + length)] }
      if type == "IEND" { break }
      position = start + length + 4
    }
    guard header.count == 13 else { throw Failure(description: "no IHDR") }
    width = Int(header[0]) << 24 | Int(header[1]) << 16 | Int(header[2]) << 8 | Int(header[3])
    height = Int(header[4]) << 24 | Int(header[5]) << 16 | Int(header[6]) << 8 | Int(header[7])
    guard header[8] == 8, header[12] == 0 else {
      throw Failure(description: "only 8-bit, non-interlaced PNGs are supported")
    }
    switch header[9] {
    case 2: channels = 3
    case 6: channels = 4
    default: throw Failure(description: "colour type \(header[9]) is not supported")
    }
    let raw = try Inflate.zlib(compressed)
    let stride = width * channels
    guard raw.count >= height * (stride + 1) else { throw Failure(description: "short image data") }
    var out = Array(repeating: UInt8(0), count: height * stride)
    for row in 0..<height {
      let filter = raw[row * (stride + 1)]
      let source = row * (stride + 1) + 1
      let target = row * stride
      for column in 0..<stride {
        let value = Int(raw[source + column])
        let left = column >= channels ? Int(out[target + column - channels]) : 0
        let up = row > 0 ? Int(out[target - stride + column]) : 0
        let upLeft =
          row > 0 && column >= channels ? Int(out[target - stride + column - channels]) : 0
        let predicted: Int
        switch filter {
        case 0: predicted = 0
        case 1: predicted = left
        case 2: predicted = up
        case 3: predicted = (left + up) / 2
        case 4:
          let estimate = left + up - upLeft
          let distanceLeft = Swift.abs(estimate - left)
          let distanceUp = Swift.abs(estimate - up)
          let distanceUpLeft = Swift.abs(estimate - upLeft)
          if distanceLeft <= distanceUp && distanceLeft <= distanceUpLeft {
            predicted = left
          } else if distanceUp <= distanceUpLeft {
            predicted = up
          } else {
            predicted = upLeft
          }
        default: throw Failure(description: "bad filter \(filter)")
        }
        out[target + column] = UInt8((value + predicted) & 0xFF)
      }
    }
    pixels = out
  }
}
