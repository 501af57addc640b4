/// Facts about this build of vtsim.
public enum VTSim {
    public static let version = "0.1.0"
}
