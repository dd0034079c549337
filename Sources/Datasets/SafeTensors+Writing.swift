import Foundation
import Support

extension SafeTensors {
    /// The bytes of a safetensors file holding `tensors`, laid out as the reference writer lays
    /// them out: wider types first, then by name (byte order), back to back; the header compact
    /// JSON with `__metadata__` first (its keys sorted), padded with spaces to a multiple of 8
    /// bytes so the data starts aligned. A file of float32 tensors is thus sorted by name.
    ///
    /// Throws naming the tensor whose bytes do not match its shape, or a reserved or empty name.
    public static func encode(_ tensors: [String: Tensor], metadata: [String: String]? = nil) throws -> Data {
        let ordered = tensors.sorted { a, b in
            a.value.dtype != b.value.dtype ? a.value.dtype > b.value.dtype : a.key.utf8.lexicographicallyPrecedes(b.key.utf8)
        }
        var entries: [String] = []
        if let metadata {
            let pairs = metadata.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
                .map { JSONValue.quoted($0.key) + ":" + JSONValue.quoted($0.value) }
            entries.append("\"__metadata__\":{" + pairs.joined(separator: ",") + "}")
        }
        var offset = 0
        for (name, tensor) in ordered {
            guard !name.isEmpty else { throw HwnasError("cannot write a tensor without a name") }
            guard name != "__metadata__" else { throw HwnasError("cannot write a tensor named '__metadata__': the name is reserved for the header's metadata") }
            let size = tensor.elementCount.flatMap { count -> Int? in
                let (bytes, overflow) = count.multipliedReportingOverflow(by: tensor.dtype.size)
                return overflow ? nil : bytes
            }
            guard size == tensor.bytes.count else {
                throw HwnasError("tensor '\(name)': shape \(describe(tensor.shape)) of \(tensor.dtype.rawValue) does not match its \(tensor.bytes.count) bytes")
            }
            let shape = "[" + tensor.shape.map(String.init).joined(separator: ",") + "]"
            entries.append(JSONValue.quoted(name) + ":{\"dtype\":\"\(tensor.dtype.rawValue)\",\"shape\":\(shape),\"data_offsets\":[\(offset),\(offset + tensor.bytes.count)]}")
            offset += tensor.bytes.count
        }
        var header = Data(("{" + entries.joined(separator: ",") + "}").utf8)
        header.append(contentsOf: [UInt8](repeating: UInt8(ascii: " "), count: (8 - header.count % 8) % 8))
        var file = Data(capacity: 8 + header.count + offset)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { file.append(contentsOf: $0) }
        file.append(header)
        for (_, tensor) in ordered {
            file.append(tensor.bytes)
        }
        return file
    }

    /// Writes `tensors` to `url` atomically: a reader sees the old file or the new one, never a
    /// torn checkpoint.
    public static func write(_ tensors: [String: Tensor], metadata: [String: String]? = nil, to url: URL) throws {
        try AtomicFile.write(try encode(tensors, metadata: metadata), to: url)
    }
}
