import Datasets
import Foundation
import Support
import Testing

/// safetensors: what is written reads back, the layout is the reference writer's byte for byte,
/// and a malformed file is refused with a message naming the file and the tensor.
@Suite struct SafeTensorsTests {
    /// A file of `header` (unpadded) and `data`.
    static func file(header: String, data: [UInt8] = []) -> Data {
        var file = Data()
        withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { file.append(contentsOf: $0) }
        file.append(contentsOf: header.utf8)
        file.append(contentsOf: data)
        return file
    }

    /// The message `body` throws, "" when it does not throw.
    static func message(_ body: () throws -> Void) -> String {
        do {
            try body()
            return ""
        } catch let error as HwnasError {
            return error.message
        } catch {
            return "not an HwnasError: \(error)"
        }
    }

    static func refusal(header: String, data: [UInt8] = []) -> String {
        message { _ = try SafeTensors(data: file(header: header, data: data), source: "bad.safetensors") }
    }

    static func f32(_ name: String, shape: [Int], _ offsets: (Int, Int)) -> String {
        "\"\(name)\":{\"dtype\":\"F32\",\"shape\":[\(shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(offsets.0),\(offsets.1)]}"
    }

    // MARK: - Round trip and layout

    @Test func floatsAndMetadataRoundTrip() throws {
        let a: [Float] = [1, -2.5, 3.25, .pi, -0.0, 1e-30]
        let b: [Float] = [0.1, 0.2, 0.3, 0.4]
        let data = try SafeTensors.encode(
            ["layer.a": .init(shape: [2, 3], floats: a), "b": .init(shape: [4], floats: b), "scalar": .init(shape: [], floats: [7])],
            metadata: ["format": "pt", "note": "a \"quoted\" value"])
        let read = try SafeTensors(data: data, source: "memory")
        #expect(read.names == ["b", "layer.a", "scalar"])
        #expect(read.metadata == ["format": "pt", "note": "a \"quoted\" value"])
        #expect(try read.floats("layer.a", shape: [2, 3]).map(\.bitPattern) == a.map(\.bitPattern))
        #expect(try read.floats("b", shape: [4]) == b)
        #expect(try read.floats("scalar", shape: []) == [7])
        #expect(try read.info("layer.a") == SafeTensors.TensorInfo(dtype: .f32, shape: [2, 3], offsets: 16..<40))
    }

    @Test func layoutIsTheReferenceWritersByteForByte() throws {
        let data = try SafeTensors.encode(["b": .init(shape: [1], floats: [1]), "a": .init(shape: [2], floats: [0.5, -2])])
        let header = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#
        let padded = header + String(repeating: " ", count: (8 - header.utf8.count % 8) % 8)
        var expected = Data()
        withUnsafeBytes(of: UInt64(padded.utf8.count).littleEndian) { expected.append(contentsOf: $0) }
        expected.append(contentsOf: padded.utf8)
        // 0.5 = 0x3F000000, -2 = 0xC0000000, 1 = 0x3F800000, little-endian.
        expected.append(contentsOf: [0, 0, 0, 0x3F, 0, 0, 0, 0xC0, 0, 0, 0x80, 0x3F])
        #expect(data == expected)
        #expect(padded.utf8.count % 8 == 0 && padded.utf8.count > header.utf8.count)
    }

    @Test func widerTypesComeFirstThenNames() throws {
        var ids = Data()
        for value: Int64 in [0, 1, 2] { withUnsafeBytes(of: value.littleEndian) { ids.append(contentsOf: $0) } }
        let data = try SafeTensors.encode([
            "a": .init(shape: [1], floats: [1]), "z.ids": .init(dtype: .i64, shape: [3], bytes: ids), "m": .init(shape: [1], floats: [2]),
        ], metadata: ["format": "pt"])
        let read = try SafeTensors(data: data, source: "memory")
        #expect(try read.info("z.ids").offsets == 0..<24)
        #expect(try read.info("a").offsets == 24..<28)
        #expect(try read.info("m").offsets == 28..<32)
        #expect(try read.tensor("z.ids") == SafeTensors.Tensor(dtype: .i64, shape: [3], bytes: ids))
        let text = String(decoding: data[8..<(8 + 72)], as: UTF8.self)
        #expect(text.hasPrefix(#"{"__metadata__":{"format":"pt"},"z.ids":{"dtype":"I64""#))
    }

    @Test func writesAtomicallyAndReadsBack() throws {
        let folder = try TestFiles.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("sub/model.safetensors")
        try SafeTensors.write(["w": .init(shape: [2, 2], floats: [1, 2, 3, 4])], to: url)
        try SafeTensors.write(["w": .init(shape: [1], floats: [5])], to: url)
        #expect(try SafeTensors(contentsOf: url).floats("w", shape: [1]) == [5])
        #expect(try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path) == ["model.safetensors"])
    }

    @Test func emptyFileOfNoTensorsRoundTrips() throws {
        let data = try SafeTensors.encode([:])
        #expect(data.count == 16)
        #expect(try SafeTensors(data: data, source: "memory").tensors.isEmpty)
    }

    // MARK: - Reading what was asked for

    @Test func aShapeMismatchNamesTheTensorAndBothShapes() throws {
        let read = try SafeTensors(data: try SafeTensors.encode(["encoder.weight": .init(shape: [2, 3], floats: [1, 2, 3, 4, 5, 6])]), source: "m.safetensors")
        let text = Self.message { _ = try read.floats("encoder.weight", shape: [3, 2]) }
        #expect(text == "m.safetensors: tensor 'encoder.weight' has shape [2, 3]; expected [3, 2]")
    }

    @Test func aMissingTensorOrAnotherTypeIsNamed() throws {
        let read = try SafeTensors(data: try SafeTensors.encode([
            "ids": .init(dtype: .i64, shape: [1], bytes: Data(count: 8)), "w": .init(shape: [1], floats: [1]),
        ]), source: "m.safetensors")
        #expect(Self.message { _ = try read.floats("q", shape: [1]) }.hasPrefix("m.safetensors has no tensor 'q' (it holds 2 tensors"))
        #expect(Self.message { _ = try read.floats("ids", shape: [1]) } == "m.safetensors: tensor 'ids' is I64; only F32 tensors can be read as float32")
    }

    @Test func aMissingFileIsNamed() {
        let text = Self.message { _ = try SafeTensors(contentsOf: URL(fileURLWithPath: "/nonexistent/m.safetensors")) }
        #expect(text == "cannot read safetensors file /nonexistent/m.safetensors: no such file or not readable")
    }

    // MARK: - Malformed files

    @Test func refusesAFileShorterThanTheLength() {
        let text = Self.message { _ = try SafeTensors(data: Data([1, 0, 0]), source: "bad.safetensors") }
        #expect(text.contains("bad.safetensors is truncated"), "\(text)")
    }

    @Test func refusesAHeaderLengthBeyondTheFile() {
        var data = Self.file(header: "{}")
        data.replaceSubrange(0..<8, with: [200, 0, 0, 0, 0, 0, 0, 0])
        let text = Self.message { _ = try SafeTensors(data: data, source: "bad.safetensors") }
        #expect(text.contains("bad.safetensors: header length 200 bytes goes beyond the end of the file (10 bytes)"), "\(text)")
        var huge = data
        huge.replaceSubrange(0..<8, with: [0, 0, 0, 0, 0, 0, 0, 1])
        #expect(Self.message { _ = try SafeTensors(data: huge, source: "bad.safetensors") }.contains("more than 100000000"))
    }

    @Test func refusesATruncatedFileNamingTheTensor() throws {
        let data = try SafeTensors.encode(["a": .init(shape: [2], floats: [1, 2]), "b": .init(shape: [3], floats: [1, 2, 3])])
        let text = Self.message { _ = try SafeTensors(data: data.prefix(data.count - 3), source: "cut.safetensors") }
        #expect(text == "cut.safetensors is truncated: tensor 'b' has data_offsets [8, 20] but the file holds 17 bytes of data after its header")
    }

    @Test func refusesAHeaderThatIsNotJSON() {
        #expect(Self.refusal(header: "{\"a\": nope}").hasPrefix("bad.safetensors: the header is not valid JSON: unexpected 'n'"))
        #expect(Self.refusal(header: "[]") == "bad.safetensors: the header does not start with '{'; not a safetensors file")
        #expect(Self.refusal(header: "").contains("does not start with '{'"))
        #expect(Self.refusal(header: "{\"a\":{}").contains("not valid JSON"))
    }

    @Test func refusesDuplicateNames() {
        let header = "{" + Self.f32("w", shape: [1], (0, 4)) + "," + Self.f32("w", shape: [1], (4, 8)) + "}"
        #expect(Self.refusal(header: header, data: Array(repeating: 0, count: 8)) == "bad.safetensors: tensor 'w' appears twice in the header")
        let metadata = #"{"__metadata__":{"a":"b"},"__metadata__":{}}"#
        #expect(Self.refusal(header: metadata) == "bad.safetensors: '__metadata__' appears twice in the header")
    }

    @Test func refusesUnknownTypes() {
        let header = #"{"w":{"dtype":"Q4","shape":[2],"data_offsets":[0,1]}}"#
        let text = Self.refusal(header: header, data: [0])
        #expect(text.hasPrefix("bad.safetensors: tensor 'w': unknown or unsupported dtype 'Q4' (this reader knows BOOL, U8"), "\(text)")
        #expect(Self.refusal(header: #"{"w":{"dtype":4,"shape":[1],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]).contains("'dtype' is a number"))
    }

    @Test func refusesOffsetsThatDoNotMatchTheShape() {
        let text = Self.refusal(header: "{" + Self.f32("w", shape: [3], (0, 8)) + "}", data: Array(repeating: 0, count: 8))
        #expect(text == "bad.safetensors: tensor 'w': shape [3] of F32 needs 12 bytes; data_offsets [0, 8] hold 8")
        let backwards = Self.refusal(header: "{" + Self.f32("w", shape: [0], (8, 4)) + "}", data: Array(repeating: 0, count: 8))
        #expect(backwards == "bad.safetensors: tensor 'w': data_offsets [8, 4] end before they begin")
        let overflow = Self.refusal(header: #"{"w":{"dtype":"F64","shape":[4611686018427387904,4],"data_offsets":[0,8]}}"#, data: Array(repeating: 0, count: 8))
        #expect(overflow.contains("needs more than Int.max bytes"), "\(overflow)")
    }

    @Test func refusesOverlapsGapsAndBytesLeftOver() {
        let zeros = [UInt8](repeating: 0, count: 16)
        let overlap = "{" + Self.f32("a", shape: [2], (0, 8)) + "," + Self.f32("b", shape: [2], (4, 12)) + "}"
        #expect(Self.refusal(header: overlap, data: Array(zeros.prefix(12)))
            == "bad.safetensors: tensor 'b' (data_offsets [4, 12]) overlaps tensor 'a' (data_offsets [0, 8])")
        let gap = "{" + Self.f32("a", shape: [1], (0, 4)) + "," + Self.f32("b", shape: [1], (8, 12)) + "}"
        #expect(Self.refusal(header: gap, data: Array(zeros.prefix(12)))
            == "bad.safetensors: tensor 'b' (data_offsets [8, 12]) leaves bytes 4..<8 unused after tensor 'a'; tensors must lie back to back")
        let late = "{" + Self.f32("a", shape: [1], (4, 8)) + "}"
        #expect(Self.refusal(header: late, data: Array(zeros.prefix(8))).contains("leaves bytes 0..<4 unused at the start of the data"))
        let leftover = "{" + Self.f32("a", shape: [1], (0, 4)) + "}"
        #expect(Self.refusal(header: leftover, data: Array(zeros.prefix(8)))
            == "bad.safetensors: 4 bytes follow the last tensor's data (the header accounts for 4 of the 8 data bytes)")
        let beyond = "{" + Self.f32("a", shape: [2], (0, 8)) + "}"
        #expect(Self.refusal(header: beyond, data: Array(zeros.prefix(4))).hasPrefix("bad.safetensors is truncated: tensor 'a'"))
    }

    @Test func refusesMalformedEntries() {
        #expect(Self.refusal(header: #"{"w":"x"}"#) == "bad.safetensors: tensor 'w' is a string; expected an object with dtype, shape and data_offsets")
        #expect(Self.refusal(header: #"{"w":{"shape":[],"data_offsets":[0,4]}}"#) == "bad.safetensors: tensor 'w' has no 'dtype'")
        #expect(Self.refusal(header: #"{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#).contains("'shape' must be an array of non-negative integers"))
        #expect(Self.refusal(header: #"{"w":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}"#).contains("'shape' must be"))
        #expect(Self.refusal(header: #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0]}}"#).contains("'data_offsets' must be two non-negative integers"))
        #expect(Self.refusal(header: #"{"w":{"dtype":"F32","dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#).contains("field 'dtype' appears twice"))
        #expect(Self.refusal(header: #"{"__metadata__":{"n":1}}"#) == "bad.safetensors: '__metadata__' entry 'n' is a number; it must be a string")
        #expect(Self.refusal(header: #"{"__metadata__":[]}"#).contains("'__metadata__' is an array"))
        #expect(Self.refusal(header: #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}} x"#, data: [0, 0, 0, 0]).contains("not valid JSON"))
    }

    @Test func refusesToWriteWhatCannotBeRead() {
        #expect(Self.message { _ = try SafeTensors.encode(["w": .init(dtype: .f32, shape: [3], bytes: Data(count: 8))]) }
            == "tensor 'w': shape [3] of F32 does not match its 8 bytes")
        #expect(Self.message { _ = try SafeTensors.encode(["__metadata__": .init(shape: [1], floats: [1])]) }.contains("reserved"))
        #expect(Self.message { _ = try SafeTensors.encode(["": .init(shape: [1], floats: [1])]) } == "cannot write a tensor without a name")
    }

    // MARK: - The pre-trained model

    @Test(.enabled(if: TestFiles.hasModel, "needs the model make setup fetches"))
    func readsThePretrainedModelAndRewritesItByteForByte() throws {
        let url = TestFiles.model.appendingPathComponent("model.safetensors")
        let model = try SafeTensors(contentsOf: url)
        let embeddings = try model.floats("embeddings.word_embeddings.weight", shape: [30522, 384])
        #expect(embeddings.allSatisfy { $0.isFinite })
        #expect(embeddings.contains { $0 != 0 })
        #expect(try model.info("encoder.layer.5.intermediate.dense.weight").shape == [1536, 384])
        #expect(try model.info("pooler.dense.weight").shape == [384, 384])
        let wrong = Self.message { _ = try model.floats("encoder.layer.0.attention.self.query.weight", shape: [384, 1536]) }
        #expect(wrong == "\(url.path): tensor 'encoder.layer.0.attention.self.query.weight' has shape [384, 384]; expected [384, 1536]")
        var tensors: [String: SafeTensors.Tensor] = [:]
        for name in model.names { tensors[name] = try model.tensor(name) }
        #expect(try SafeTensors.encode(tensors, metadata: model.metadata) == Data(contentsOf: url))
    }
}
