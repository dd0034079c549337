/// One tensor written as raw little-endian float32 (row-major), named in a dump's index.
struct TensorFile: Codable {
    var file: String
    var shape: [Int]
}
