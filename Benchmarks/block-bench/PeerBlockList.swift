/// `block-bench --peer-blocks`: the build that measures, and the compared blocks by name.
struct PeerBlockList: Codable {
    struct Entry: Codable {
        var name: String
        var key: String
        var kind: String
        var macs: Int
        var flops: Double
        var bytes: Double
    }

    var build: BuildInfo
    var blocks: [Entry]
}
