import ArgumentParser
import Foundation
import Support
import SuperNet

/// `hwnas evaluate`: what each sub-network of a file costs, analytically (later: predicted and
/// measured latency, predicted accuracy).
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Print the MACs and parameters of sub-networks read from a file.",
        discussion: """
            FILE is a DyNAS-T results CSV (its 'Sub-network' column) or JSON lines, one \
            sub-network per line, in DyNAS-T's dict syntax or hwnas's JSON form:
              {'wid': None, 'ks': [...20], 'e': [...20], 'd': [...5], 'r': [224]}
              {"ks":[...20],"e":[...20],"d":[...5],"r":224}
            A malformed row stops with an error naming the file, line and field; nothing is clamped.

            MACs count the multiply-accumulates of convolutions, linear layers and attention \
            products; parameters count weights, biases and normalisation scale and shift (batch-norm \
            running statistics excluded). On the OFA space they reproduce DyNAS-T's figures exactly.

            Examples:
              hwnas evaluate --space ofa-mbv3-w1.0 --subnets data/ofa-mbv3-accuracy/mbnv3w10_evoga_acc.csv
              hwnas evaluate --space bert-base --subnets subnets.jsonl --json
            """
    )

    @Option(help: "The search space (see `hwnas spaces`).")
    var space: String

    @Option(help: ArgumentHelp("Sub-networks: a DyNAS-T CSV or JSON lines.", valueName: "file"))
    var subnets: String

    @Flag(help: "Print a JSON array of {subnet, macs, params}.")
    var json = false

    struct Evaluation: Encodable {
        var subnet: SubnetJSON
        var macs: Int
        var params: Int
    }

    func run() throws {
        let space = try SearchSpaces.named(space)
        let file = try SubnetFile(url: URL(fileURLWithPath: subnets), space: space)
        let evaluations = file.rows.map { row in
            Evaluation(subnet: SubnetJSON(space: space, subnet: row.subnet),
                       macs: space.macs(of: row.subnet), params: space.params(of: row.subnet))
        }
        if json {
            FileHandle.standardOutput.write(try JSONFormat.encode(evaluations))
            return
        }
        print("\("MACs".leftPadded(14))  \("params".leftPadded(11))  sub-network")
        for (row, evaluation) in zip(file.rows, evaluations) {
            print("\(String(evaluation.macs).leftPadded(14))  \(String(evaluation.params).leftPadded(11))  \(space.dynastString(row.subnet))")
        }
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
