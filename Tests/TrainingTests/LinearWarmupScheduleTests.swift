import Testing
import Training

@Suite struct LinearWarmupScheduleTests {
    /// 6% of 100 steps warm up: 0 at the first update, the peak at step 6, half of it halfway
    /// down the decay, 0 at the end and after.
    @Test func values() throws {
        let schedule = try LinearWarmupSchedule(peakRate: 1e-4, totalSteps: 100)
        #expect(schedule.warmupSteps == 6)
        #expect(schedule.rate(at: 0) == 0)
        #expect(abs(schedule.rate(at: 3) - 5e-5) < 1e-18)
        #expect(schedule.rate(at: 6) == 1e-4)
        #expect(abs(schedule.rate(at: 53) - 5e-5) < 1e-18)
        #expect(abs(schedule.rate(at: 99) - 1e-4 / 94) < 1e-18)
        #expect(schedule.rate(at: 100) == 0)
        #expect(schedule.rate(at: 150) == 0)
        // Rounded up as Hugging Face's warmup_ratio: 300 steps -> 18, 2,042 -> 123.
        #expect(try LinearWarmupSchedule(peakRate: 1, totalSteps: 300).warmupSteps == 18)
        #expect(try LinearWarmupSchedule(peakRate: 1, totalSteps: 2042).warmupSteps == 123)
        // No warm-up: the peak at once, then the decay.
        let flat = try LinearWarmupSchedule(peakRate: 2, totalSteps: 4, warmupSteps: 0)
        #expect((0...4).map(flat.rate(at:)) == [2, 1.5, 1, 0.5, 0])
    }

    @Test func badSettingsAreRefused() {
        Fixtures.expectError("warm-up steps") { _ = try LinearWarmupSchedule(peakRate: 1, totalSteps: 10, warmupSteps: 11) }
        Fixtures.expectError("learning rate") { _ = try LinearWarmupSchedule(peakRate: -1, totalSteps: 10) }
        Fixtures.expectError("warm-up fraction") { _ = try LinearWarmupSchedule(peakRate: 1, totalSteps: 10, warmupFraction: 1.5) }
    }
}
