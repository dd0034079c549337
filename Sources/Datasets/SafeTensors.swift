import Foundation
import Support

/// A safetensors file read into memory: the format Hugging Face checkpoints (and hwnas's own)
/// are stored in.
///
/// The layout: an 8-byte little-endian header length N, N bytes of JSON header
/// `{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {string: string}}`, then
/// the tensors' little-endian bytes, back to back. Everything the header claims is checked
/// when the file is opened, as the reference implementation checks it (tensors contiguous from
/// byte 0, each exactly shape x dtype bytes, nothing after the last), so that a truncated or
/// damaged file is refused by name before any weight is used, never half-read.
public struct SafeTensors: Sendable {
    /// What the tensors were read from (a file's path), as messages name it.
    public let source: String
    /// The header's `__metadata__`, nil when it has none.
    public let metadata: [String: String]?
    /// Every tensor of the file, by name.
    public let tensors: [String: TensorInfo]

    private let contents: Data
    private let dataStart: Int

    /// The reference implementation's bound on the header (100 MB): a larger length is not a
    /// header but another kind of file.
    public static let maximumHeaderLength = 100_000_000

    /// Reads the file at `url` (mapped, not copied, when the system allows).
    public init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .mappedIfSafe)
        } catch {
            throw HwnasError("cannot read safetensors file \(url.path): no such file or not readable")
        }
        try self.init(data: data, source: url.path)
    }

    /// Reads safetensors bytes; `source` names them in messages.
    public init(data: Data, source: String) throws {
        let contents = data.startIndex == 0 ? data : Data(data)
        self.source = source
        self.contents = contents
        guard contents.count >= 8 else {
            throw HwnasError("\(source) is truncated: \(contents.count) bytes, fewer than the 8 bytes of a safetensors header length")
        }
        let length = contents.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard length <= UInt64(Self.maximumHeaderLength) else {
            throw HwnasError("\(source): header length \(length) bytes is more than \(Self.maximumHeaderLength); not a safetensors file")
        }
        guard length <= UInt64(contents.count - 8) else {
            throw HwnasError("\(source): header length \(length) bytes goes beyond the end of the file (\(contents.count) bytes); the file is truncated or not a safetensors file")
        }
        let headerLength = Int(length)
        dataStart = 8 + headerLength
        let header = contents.withUnsafeBytes { Array($0[8..<8 + headerLength]) }
        guard header.first == UInt8(ascii: "{") else {
            throw HwnasError("\(source): the header does not start with '{'; not a safetensors file")
        }
        let json: JSONValue
        do {
            json = try JSONValue.parse(header)
        } catch {
            throw HwnasError("\(source): the header is not valid JSON: \(error)")
        }
        guard case .object(let members) = json else {
            throw HwnasError("\(source): the header is \(json.kind), not an object")
        }
        var metadata: [String: String]?
        var tensors: [String: TensorInfo] = [:]
        for member in members {
            if member.key == "__metadata__" {
                guard metadata == nil else { throw HwnasError("\(source): '__metadata__' appears twice in the header") }
                metadata = try Self.metadata(member.value, source: source)
                continue
            }
            guard tensors[member.key] == nil else {
                throw HwnasError("\(source): tensor '\(member.key)' appears twice in the header")
            }
            tensors[member.key] = try Self.info(member.value, name: member.key, source: source)
        }
        try Self.checkLayout(tensors, dataLength: contents.count - dataStart, source: source)
        self.metadata = metadata
        self.tensors = tensors
    }

    /// The tensors' names in byte order.
    public var names: [String] {
        tensors.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// Where the tensor `name` lies; throws naming the file when it holds no such tensor.
    public func info(_ name: String) throws -> TensorInfo {
        guard let info = tensors[name] else {
            let some = names.prefix(3).map { "'\($0)'" }.joined(separator: ", ")
            throw HwnasError("\(source) has no tensor '\(name)' (it holds \(tensors.count) tensors\(tensors.isEmpty ? "" : ", e.g. \(some)"))")
        }
        return info
    }

    /// The tensor `name` with its bytes, whatever its type.
    public func tensor(_ name: String) throws -> Tensor {
        let info = try info(name)
        let bytes = contents.subdata(in: dataStart + info.offsets.lowerBound..<dataStart + info.offsets.upperBound)
        return Tensor(dtype: info.dtype, shape: info.shape, bytes: bytes)
    }

    /// The float32 tensor `name`, row-major; throws naming the file, the tensor and both
    /// shapes when its shape is not `shape`, and naming its type when it is not F32.
    public func floats(_ name: String, shape: [Int]) throws -> [Float] {
        let info = try info(name)
        guard info.shape == shape else {
            throw HwnasError("\(source): tensor '\(name)' has shape \(Self.describe(info.shape)); expected \(Self.describe(shape))")
        }
        guard info.dtype == .f32 else {
            throw HwnasError("\(source): tensor '\(name)' is \(info.dtype.rawValue); only F32 tensors can be read as float32")
        }
        let count = info.offsets.count / 4
        let start = dataStart + info.offsets.lowerBound
        return [Float](unsafeUninitializedCapacity: count) { values, initialized in
            contents.withUnsafeBytes { raw in
                #if _endian(little)
                UnsafeMutableRawBufferPointer(values).copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[start..<start + count * 4]))
                #else
                for index in 0..<count {
                    let bits = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: start + index * 4, as: UInt32.self))
                    values.initializeElement(at: index, to: Float(bitPattern: bits))
                }
                #endif
            }
            initialized = count
        }
    }

    // MARK: - Header

    private static func metadata(_ value: JSONValue, source: String) throws -> [String: String] {
        guard case .object(let members) = value else {
            throw HwnasError("\(source): '__metadata__' is \(value.kind); it must be an object of strings")
        }
        var metadata: [String: String] = [:]
        for member in members {
            guard case .string(let text) = member.value else {
                throw HwnasError("\(source): '__metadata__' entry '\(member.key)' is \(member.value.kind); it must be a string")
            }
            guard metadata[member.key] == nil else {
                throw HwnasError("\(source): '__metadata__' entry '\(member.key)' appears twice")
            }
            metadata[member.key] = text
        }
        return metadata
    }

    private static func info(_ value: JSONValue, name: String, source: String) throws -> TensorInfo {
        let at = "\(source): tensor '\(name)'"
        guard case .object(let members) = value else {
            throw HwnasError("\(at) is \(value.kind); expected an object with dtype, shape and data_offsets")
        }
        var fields: [String: JSONValue] = [:]
        for member in members {
            guard fields[member.key] == nil else { throw HwnasError("\(at): field '\(member.key)' appears twice") }
            fields[member.key] = member.value
        }
        guard let dtypeValue = fields["dtype"] else { throw HwnasError("\(at) has no 'dtype'") }
        guard case .string(let dtypeName) = dtypeValue else {
            throw HwnasError("\(at): 'dtype' is \(dtypeValue.kind); expected a name such as \"F32\"")
        }
        guard let dtype = DType(rawValue: dtypeName) else {
            throw HwnasError("\(at): unknown or unsupported dtype '\(dtypeName)' (this reader knows \(DType.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        guard let shapeValue = fields["shape"] else { throw HwnasError("\(at) has no 'shape'") }
        guard let shape = naturals(shapeValue) else {
            throw HwnasError("\(at): 'shape' must be an array of non-negative integers")
        }
        guard let offsetsValue = fields["data_offsets"] else { throw HwnasError("\(at) has no 'data_offsets'") }
        guard let offsets = naturals(offsetsValue), offsets.count == 2 else {
            throw HwnasError("\(at): 'data_offsets' must be two non-negative integers [begin, end]")
        }
        guard offsets[0] <= offsets[1] else {
            throw HwnasError("\(at): data_offsets [\(offsets[0]), \(offsets[1])] end before they begin")
        }
        let needed = elementCount(shape).flatMap { count -> Int? in
            let (total, overflow) = count.multipliedReportingOverflow(by: dtype.size)
            return overflow ? nil : total
        }
        guard needed == offsets[1] - offsets[0] else {
            throw HwnasError("\(at): shape \(describe(shape)) of \(dtype.rawValue) needs \(needed.map { String($0) } ?? "more than Int.max") bytes; data_offsets [\(offsets[0]), \(offsets[1])] hold \(offsets[1] - offsets[0])")
        }
        return TensorInfo(dtype: dtype, shape: shape, offsets: offsets[0]..<offsets[1])
    }

    /// Integers >= 0 of a JSON array, nil for anything else.
    private static func naturals(_ value: JSONValue) -> [Int]? {
        guard case .array(let elements) = value else { return nil }
        var numbers: [Int] = []
        for element in elements {
            guard let number = element.integer, number >= 0 else { return nil }
            numbers.append(number)
        }
        return numbers
    }

    /// Tensors lie back to back from byte 0 of the data and fill it exactly: no byte read by two
    /// tensors, none beyond the file, none unaccounted for.
    private static func checkLayout(_ tensors: [String: TensorInfo], dataLength: Int, source: String) throws {
        let ordered = tensors.sorted {
            ($0.value.offsets.lowerBound, $0.value.offsets.upperBound) < ($1.value.offsets.lowerBound, $1.value.offsets.upperBound)
                || ($0.value.offsets == $1.value.offsets && $0.key.utf8.lexicographicallyPrecedes($1.key.utf8))
        }
        var end = 0
        var previous: (name: String, offsets: Range<Int>)?
        for (name, info) in ordered {
            let offsets = info.offsets
            let written = "data_offsets [\(offsets.lowerBound), \(offsets.upperBound)]"
            if offsets.upperBound > dataLength {
                throw HwnasError("\(source) is truncated: tensor '\(name)' has \(written) but the file holds \(dataLength) bytes of data after its header")
            }
            if let previous, offsets.lowerBound < end {
                throw HwnasError("\(source): tensor '\(name)' (\(written)) overlaps tensor '\(previous.name)' (data_offsets [\(previous.offsets.lowerBound), \(previous.offsets.upperBound)])")
            }
            if offsets.lowerBound > end {
                let after = previous.map { "after tensor '\($0.name)'" } ?? "at the start of the data"
                throw HwnasError("\(source): tensor '\(name)' (\(written)) leaves bytes \(end)..<\(offsets.lowerBound) unused \(after); tensors must lie back to back")
            }
            end = offsets.upperBound
            previous = (name, offsets)
        }
        if end != dataLength {
            throw HwnasError("\(source): \(dataLength - end) bytes follow the last tensor's data (the header accounts for \(end) of the \(dataLength) data bytes)")
        }
    }
}
