import Foundation
import Support
import Testing

/// Timestamps, the clock and the error type's text.
@Suite struct TimestampTests {
    @Test func epochIsUTCToTheSecond() {
        #expect(Timestamp.string(from: Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
        #expect(Timestamp.string(from: Date(timeIntervalSince1970: 1_700_000_000.75)) == "2023-11-14T22:13:20Z")
    }

    @Test func nowIsParseableAndRecent() throws {
        let text = Timestamp.now()
        let formatter = ISO8601DateFormatter()
        let date = try #require(formatter.date(from: text), "unparseable timestamp \(text)")
        #expect(abs(date.timeIntervalSinceNow) < 3600, "timestamp \(text) is far from now")
        #expect(text.hasSuffix("Z"))
    }

    @Test func clockIsMonotonicAndInNanoseconds() {
        let first = MonotonicClock.now()
        var previous = first
        for _ in 0..<1000 {
            let next = MonotonicClock.now()
            #expect(next >= previous)
            previous = next
        }
        // CLOCK_MONOTONIC in nanoseconds agrees with ProcessInfo's uptime in seconds.
        let uptime = ProcessInfo.processInfo.systemUptime
        #expect(abs(Double(MonotonicClock.now()) / 1e9 - uptime) < 5, "clock \(MonotonicClock.now()) ns vs uptime \(uptime) s")
        #expect(MonotonicClock.seconds(since: first) >= 0)
    }

    @Test func errorDescriptionIsItsMessage() {
        let error = HwnasError("cannot read /x/y.json: missing field 'id'")
        #expect(error.description == "cannot read /x/y.json: missing field 'id'")
        #expect("\(error)" == error.message)
        #expect(error == HwnasError("cannot read /x/y.json: missing field 'id'"))
        #expect(HwnasVersion.current == "0.1.0")
    }
}
