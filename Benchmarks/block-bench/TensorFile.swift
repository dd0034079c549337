/// One tensor written as raw little-endian values (row-major), named in a dump's index.
struct TensorFile: Codable {
    var file: String
    var shape: [Int]
    /// `int64` for token ids; nil for float32, the dumps' default.
    var dtype: String?
}
