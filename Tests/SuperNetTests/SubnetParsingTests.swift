import Testing
@testable import SuperNet
import Support

/// Sub-network strings in DyNAS-T's dict syntax and hwnas's JSON: round trips, and every kind of
/// malformed input refused with the field named.
@Suite struct SubnetParsingTests {
    let ofa = OFAMobileNetV3Space()
    let valid = "{'wid': None, 'ks': [5, 7, 5, 5, 3, 3, 3, 7, 5, 5, 3, 7, 7, 3, 3, 3, 5, 5, 5, 5], 'e': [4, 3, 4, 4, 4, 6, 3, 4, 4, 3, 4, 3, 3, 6, 6, 6, 4, 3, 4, 4], 'd': [2, 3, 2, 4, 3], 'r': [224]}"

    @Test func dynastFormRoundTrips() throws {
        let subnet = try ofa.subnet(parsing: valid)
        #expect(ofa.dynastString(subnet) == valid)
        #expect(subnet["d"] == [2, 3, 2, 4, 3])
        #expect(subnet.scalar("r") == 224)
    }

    @Test func jsonFormRoundTrips() throws {
        let subnet = try ofa.subnet(parsing: valid)
        let json = ofa.jsonString(subnet)
        #expect(json.hasSuffix("\"r\":224}"))
        #expect(try ofa.subnet(parsing: json) == subnet)
    }

    @Test func genomeRoundTrips() throws {
        var generator = SeededGenerator(seed: 7)
        for space in SearchSpaces.all {
            for _ in 0..<20 {
                let subnet = space.sample(using: &generator)
                let genome = space.genome(of: subnet)
                #expect(genome.count == space.genomeLength)
                #expect(try space.subnet(genome: genome) == subnet)
                #expect(try space.subnet(parsing: space.dynastString(subnet)) == subnet)
                #expect(try space.subnet(parsing: space.jsonString(subnet)) == subnet)
            }
        }
    }

    @Test func samplingIsDeterministicForASeed() {
        var a = SeededGenerator(seed: 42), b = SeededGenerator(seed: 42), c = SeededGenerator(seed: 43)
        let first = (0..<5).map { _ in ofa.sample(using: &a) }
        #expect(first == (0..<5).map { _ in ofa.sample(using: &b) })
        #expect(first != (0..<5).map { _ in ofa.sample(using: &c) })
    }

    func message(_ text: String, in space: any SearchSpace) -> String? {
        do {
            _ = try space.subnet(parsing: text)
            return nil
        } catch let error as HwnasError {
            return error.message
        } catch {
            return "\(error)"
        }
    }

    @Test(arguments: [
        ("'ks': [5, 7", "'ks': [9, 7", "'ks'[0]: 9 is not one of 3, 5, 7"),
        ("'d': [2, 3, 2, 4, 3]", "'d': [2, 3, 2, 5, 3]", "'d'[3]: 5 is not one of 2, 3, 4"),
        ("'d': [2, 3, 2, 4, 3]", "'d': [1, 3, 2, 4, 3]", "'d'[0]: 1 is not one of 2, 3, 4"),
        ("'r': [224]", "'r': [226]", "'r'[0]: 226 is not one of 128..224 in steps of 4"),
        ("'r': [224]", "'r': [256]", "'r'[0]: 256"),
        ("'d': [2, 3, 2, 4, 3]", "'d': [2, 3, 2, 4]", "'d': expected 5 values, found 4"),
        ("'wid': None, ", "'wid': None, 'depth': [2], ", "unknown field 'depth'"),
        ("'wid': None", "'wid': 1.0", "field 'wid': must be None"),
        ("'e': [4, 3,", "'e': [4.5, 3,", "'e'[0]: expected an integer"),
        (", 'r': [224]", "", "missing field 'r'"),
        ("}", "", "expected"),
    ])
    func malformedStringsNameTheField(original: String, replacement: String, expected: String) {
        let text = valid.replacingOccurrences(of: original, with: replacement)
        #expect(text != valid)
        let error = message(text, in: ofa)
        #expect(error?.contains(expected) == true, "\(error ?? "no error") should contain \(expected)")
    }

    @Test func bertStringsAreChecked() {
        let bert = BertBaseSpace()
        let heads = Array(repeating: "12", count: 12).joined(separator: ", ")
        let widths = Array(repeating: "3072", count: 12).joined(separator: ", ")
        #expect(message("{'num_layers': [12], 'num_attention_heads': [\(heads)], 'intermediate_size': [\(widths)]}", in: bert) == nil)
        #expect(message("{'num_layers': 8, 'num_attention_heads': [\(heads)], 'intermediate_size': [\(widths)]}", in: bert) == nil)
        #expect(message("{'num_layers': [13], 'num_attention_heads': [\(heads)], 'intermediate_size': [\(widths)]}", in: bert)?
            .contains("'num_layers'[0]: 13 is not one of") == true)
        #expect(message("{'num_layers': [12], 'num_attention_heads': [7, 12], 'intermediate_size': [\(widths)]}", in: bert)?
            .contains("'num_attention_heads': expected 12 values, found 2") == true)
        #expect(message("[1, 2]", in: bert)?.contains("is a dictionary") == true)
    }
}
