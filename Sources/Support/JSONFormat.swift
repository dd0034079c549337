import Foundation

/// The one JSON style of hwnas outputs: pretty, keys sorted (stable diffs), slashes unescaped.
public enum JSONFormat {
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// Encodes `value` as pretty JSON text ending in a newline.
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        var data = try encoder().encode(value)
        data.append(0x0A)
        return data
    }

    /// Decodes a versioned hwnas file, with errors that name the file and what is wrong with it.
    ///
    /// `kind` is what the file should be ("machine descriptor"); `schemaVersion` is the only
    /// version this reader accepts.
    public static func decodeFile<T: Decodable>(
        _ type: T.Type, from url: URL, kind: String, schemaVersion: Int
    ) throws -> T {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw HwnasError("cannot read \(kind) \(url.path): no such file or not readable")
        }
        if data.isEmpty {
            throw HwnasError("\(url.path) is empty; expected a \(kind)")
        }
        let header: SchemaHeader
        do {
            header = try JSONDecoder().decode(SchemaHeader.self, from: data)
        } catch DecodingError.typeMismatch(_, let context) {
            throw HwnasError("\(url.path) is not a valid \(kind): field 'schemaVersion': \(context.debugDescription)")
        } catch {
            throw HwnasError("\(url.path) is not a valid \(kind) (truncated or not JSON): \(describe(error))")
        }
        guard let version = header.schemaVersion else {
            throw HwnasError("\(url.path) has no schemaVersion; it is not a \(kind) written by hwnas")
        }
        guard version == schemaVersion else {
            throw HwnasError("\(url.path) is a \(kind) of schema \(version); this hwnas reads schema \(schemaVersion)")
        }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch {
            throw HwnasError("\(url.path) is not a valid \(kind): \(describe(error))")
        }
    }

    /// A readable account of a decoding error: the coding path and what was expected.
    public static func describe(_ error: Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ keys: [CodingKey]) -> String {
            keys.isEmpty ? "top level" : keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
                .joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing field '\(path(context.codingPath + [key]))'"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "field '\(path(context.codingPath))': \(context.debugDescription)"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? context.debugDescription
                : "field '\(path(context.codingPath))': \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    private struct SchemaHeader: Decodable {
        var schemaVersion: Int?
    }
}
