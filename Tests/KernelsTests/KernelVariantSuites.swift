import Testing
import Kernels

/// The suites that force a kernel variant, nested here so that they run one at a time:
/// `KernelDispatch.forcing` is process-wide, and two suites forcing different variants at once
/// would each test whichever was forced last.
@Suite(.serialized) enum KernelVariantSuites {}
