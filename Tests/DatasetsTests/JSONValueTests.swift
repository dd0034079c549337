@testable import Datasets
import Testing

/// The header parser: values, member order and duplicates kept, escapes, and the errors that
/// make a header "not JSON".
@Suite struct JSONValueTests {
    func parse(_ text: String) throws -> JSONValue {
        try JSONValue.parse(Array(text.utf8))
    }

    @Test func parsesEveryKindOfValue() throws {
        let value = try parse(#" {"a": [1, -2, 3.5e2, true, false, null], "b": {"c": "d"}} "#)
        #expect(value == .object([
            .init(key: "a", value: .array([.number("1"), .number("-2"), .number("3.5e2"), .bool(true), .bool(false), .null])),
            .init(key: "b", value: .object([.init(key: "c", value: .string("d"))])),
        ]))
    }

    @Test func keepsDuplicateMembersInOrder() throws {
        guard case .object(let members) = try parse(#"{"x": 1, "y": 2, "x": 3}"#) else {
            Issue.record("not an object")
            return
        }
        #expect(members.map(\.key) == ["x", "y", "x"])
        #expect(members.map(\.value) == [.number("1"), .number("2"), .number("3")])
    }

    @Test func decodesEscapes() throws {
        #expect(try parse(#""a\"b\\c\/d\n\t\u00e9\ud83d\ude00""#) == .string("a\"b\\c/d\n\té😀"))
        #expect(try parse("\"é\"") == .string("é"))
    }

    @Test func integersAreExactOrAbsent() throws {
        #expect(try parse("9007199254740993").integer == 9_007_199_254_740_993)
        #expect(try parse("1.0").integer == nil)
        #expect(try parse("1e3").integer == nil)
        #expect(try parse("99999999999999999999").integer == nil)
        #expect(try parse("\"1\"").integer == nil)
    }

    @Test(arguments: [
        "", "{", "{\"a\" 1}", "{\"a\": 1,}", "[1 2]", "01", "-", "1.", "tru", "\"abc", "\"a\u{01}b\"",
        #""\x""#, #""\ud800""#, #""\u12""#, "{} {}", "{'a': 1}", "nul",
    ])
    func refusesMalformedText(_ text: String) {
        #expect(throws: JSONValue.SyntaxError.self, "\(text)") { try parse(text) }
    }

    @Test func refusesInvalidUTF8InStrings() {
        #expect(throws: JSONValue.SyntaxError.self) { try JSONValue.parse([0x22, 0xFF, 0x22]) }
    }

    @Test func refusesDeepNestingWithoutExhaustingTheStack() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONValue.SyntaxError.self) { try parse(deep) }
        #expect(throws: Never.self) { try parse(String(repeating: "[", count: 100) + String(repeating: "]", count: 100)) }
    }

    @Test func quotesAsSerdeJSONDoes() throws {
        #expect(JSONValue.quoted("plain") == #""plain""#)
        #expect(JSONValue.quoted("a\"b\\c/d\n\u{1}é") == #""a\"b\\c/d\n\u0001é""#)
        #expect(try parse(JSONValue.quoted("x\u{1F}\u{7F}\t\r\u{8}\u{C}y")) == .string("x\u{1F}\u{7F}\t\r\u{8}\u{C}y"))
    }
}
