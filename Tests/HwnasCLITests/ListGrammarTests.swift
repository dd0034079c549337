import Foundation
import ArgumentParser
@testable import HwnasCLI
import Testing

/// The grammars of `--cores` and `--resolution`: what they accept and what they refuse.
@Suite struct ListGrammarTests {
    @Test(arguments: [
        ("0", [0...0]), ("0,1", [0...0, 1...1]), ("0-3", [0...3]), ("2,0-1", [2...2, 0...1]), (" 0 , 1 ", [0...0, 1...1]),
        ("5-5", [5...5]),
    ])
    func coreListsParse(text: String, ranges: [ClosedRange<Int>]) throws {
        #expect(try CoreList(parsing: text).ranges == ranges)
        #expect(CoreList(argument: text)?.ranges == ranges)
    }

    @Test(arguments: ["", "-", "-1", "0-", "-0", "1-0", ",", "0,", ",0", "0,,1", "a", "+1", "0--1", "0-1-2", "1 2", "0x1", "99999999999999999999"])
    func coreListsRefuse(text: String) throws {
        let error = try #require(throws: ListGrammarError.self) { try CoreList(parsing: text) }
        #expect(Self.quoted(error.description).map { $0.isEmpty ? text.trimmingCharacters(in: .whitespaces).isEmpty : text.contains($0) } == true, "the message quotes no part of '\(text)': \(error.description)")
        #expect(CoreList(argument: text) == nil)
    }

    @Test func coreListsAreCheckedAgainstTheMachineBeforeExpanding() throws {
        let machine = [0, 1, 2, 3]
        #expect(try CoreList(parsing: "0-1,3").pus(of: machine) == [0, 1, 3])
        // A range as wide as Int itself is refused by its end, never expanded.
        #expect { try CoreList(parsing: "0-9223372036854775807").pus(of: machine) } throws: { error in
            "\(error)".contains("reaches PU 9223372036854775807") && "\(error)".contains("its PUs are 0-3")
        }
        #expect { try CoreList(parsing: "4").pus(of: machine) } throws: { "\($0)".contains("PU 4 is not on this machine") }
        #expect { try CoreList(parsing: "1").pus(of: [0, 2]) } throws: { "\($0)".contains("PU 1 is not on this machine (its PUs are 0,2)") }
        #expect { try CoreList(parsing: "0,0-1").pus(of: machine) } throws: { "\($0)".contains("names PU 0 twice") }
        #expect(CoreList.describe([3, 0, 1, 7, 2]) == "0-3,7")
    }

    @Test(arguments: [("224", [224]), ("160,192,224", [160, 192, 224]), (" 128 ,132", [128, 132])])
    func resolutionListsParse(text: String, pixels: [Int]) throws {
        #expect(try ResolutionList(parsing: text).pixels == pixels)
        #expect(ResolutionList(argument: text)?.pixels == pixels)
    }

    @Test(arguments: ["", "-", ",", ",,", "224,", "0", "-224", "224-228", "22 4", "x", "99999999999999999999"])
    func resolutionListsRefuse(text: String) throws {
        let error = try #require(throws: ListGrammarError.self) { try ResolutionList(parsing: text) }
        #expect(Self.quoted(error.description).map { $0.isEmpty ? text.trimmingCharacters(in: .whitespaces).isEmpty : text.contains($0) } == true, "the message quotes no part of '\(text)': \(error.description)")
        #expect(ResolutionList(argument: text) == nil)
    }

    /// The first part of a message in single quotes: the item it refuses.
    static func quoted(_ message: String) -> String? {
        let parts = message.split(separator: "'", omittingEmptySubsequences: false)
        return parts.count >= 3 ? String(parts[1]) : nil
    }
}
