import Scenarios
import Testing

/// The error a scenario text is refused with, or nil (recorded as an issue) if it is accepted or
/// fails some other way.
func loaderError(_ text: String, file: String = "s.yaml") -> ScenarioError? {
    do {
        _ = try ScenarioLoader.parse(text, file: file)
        return nil
    } catch let error as ScenarioError {
        return error
    } catch {
        Issue.record("unexpected error type \(error)")
        return nil
    }
}
