import ArgumentParser
import Support

/// The value of `--cores`: OS indices of processing units, as `0`, `0,2` or `0-3`.
///
/// The grammar is strict (digits only, no empty item, a range with both ends, low to high), so
/// that a typo is refused instead of read as another core: `-1` is not core 1, `0-` is not
/// core 0. Ranges stay ranges until checked against the machine, so `0-1000000000` costs
/// nothing before it is refused.
struct CoreList: Equatable, Sendable, CustomStringConvertible {
    /// The items in the order given.
    let ranges: [ClosedRange<Int>]
    /// The text as given.
    let text: String

    init(parsing text: String) throws {
        guard !text.isEmpty else { throw ListGrammarError("'' lists no PU: give OS indices like 0, 0,1 or 0-3") }
        var ranges: [ClosedRange<Int>] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let trimmed = item.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else {
                throw ListGrammarError("'\(text)' has an empty item: give OS indices like 0, 0,1 or 0-3")
            }
            let ends = trimmed.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard let low = Self.index(ends[0]) else {
                throw ListGrammarError(trimmed.hasPrefix("-")
                    ? "'\(trimmed)' is not a PU index: indices are 0 or more, and a range needs both ends, like 0-3"
                    : "'\(trimmed)' is not a PU index or a range like 0-3")
            }
            guard ends.count == 2 else { ranges.append(low...low); continue }
            guard let high = Self.index(ends[1]) else {
                throw ListGrammarError(ends[1].isEmpty
                    ? "'\(trimmed)' is a range without an end: write both ends, like 0-3"
                    : "'\(trimmed)' is not a range of PU indices like 0-3")
            }
            guard low <= high else { throw ListGrammarError("'\(trimmed)' runs backwards: write the low end first, like \(high)-\(low)") }
            ranges.append(low...high)
        }
        self.ranges = ranges
        self.text = text
    }

    /// A non-negative decimal index (digits only: no sign, no spaces inside).
    private static func index(_ text: String) -> Int? {
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(text)
    }

    /// The PUs listed, after checking that every one is a PU of `machinePUs` (this machine's
    /// OS indices) and none is listed twice. Errors name the flag, the value and the machine's PUs.
    func pus(of machinePUs: [Int]) throws -> [Int] {
        let known = Set(machinePUs)
        let available = Self.describe(machinePUs)
        let largest = machinePUs.max() ?? -1
        for range in ranges {
            if range.upperBound > largest {
                let bad = range.lowerBound == range.upperBound ? "PU \(range.upperBound)" : "\(range.lowerBound)-\(range.upperBound) reaches PU \(range.upperBound), which"
                throw ValidationError("--cores \(text): \(bad) is not on this machine (its PUs are \(available)); pin only to PUs it has")
            }
        }
        var pus: [Int] = []
        for range in ranges { pus.append(contentsOf: range) }
        if let missing = pus.first(where: { !known.contains($0) }) {
            throw ValidationError("--cores \(text): PU \(missing) is not on this machine (its PUs are \(available)); pin only to PUs it has")
        }
        var seen = Set<Int>()
        if let twice = pus.first(where: { !seen.insert($0).inserted }) {
            throw ValidationError("--cores \(text) names PU \(twice) twice: one thread per PU")
        }
        return pus
    }

    /// `0-3,8` for a list of indices.
    static func describe(_ indices: [Int]) -> String {
        var runs: [ClosedRange<Int>] = []
        for index in Set(indices).sorted() {
            if let last = runs.last, last.upperBound + 1 == index {
                runs[runs.count - 1] = last.lowerBound...index
            } else {
                runs.append(index...index)
            }
        }
        return runs.isEmpty ? "none" : runs.map { $0.count == 1 ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" }.joined(separator: ",")
    }

    var description: String { text }
}

extension CoreList: ExpressibleByArgument {
    init?(argument: String) {
        guard let parsed = try? CoreList(parsing: argument) else { return nil }
        self = parsed
    }
}
