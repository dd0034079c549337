/// Compile-time constants for the convolution kernels: a window's size and stride, and an
/// input channel count. Kernels generic over these are specialised with the constants folded,
/// so that their window and channel loops unroll; each specialisation is its own function.
protocol WindowShape {
    static var size: Int { get }
    static var stride: Int { get }
}

protocol Constant {
    static var value: Int { get }
}

enum K3: Constant { static var value: Int { 3 } }
enum K5: Constant { static var value: Int { 5 } }
enum K7: Constant { static var value: Int { 7 } }
enum S1: Constant { static var value: Int { 1 } }
enum S2: Constant { static var value: Int { 2 } }

enum Window<Size: Constant, Stride: Constant>: WindowShape {
    static var size: Int { Size.value }
    static var stride: Int { Stride.value }
}

/// An input channel count known at compile time (`nil`: read it at run time).
protocol ChannelCount {
    static var value: Int? { get }
}

enum Channels3: ChannelCount { static var value: Int? { 3 } }
enum AnyChannels: ChannelCount { static var value: Int? { nil } }
