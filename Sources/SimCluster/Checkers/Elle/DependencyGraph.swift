/// The dependency graph of committed transactions (Adya's direct serialization graph): nodes are
/// transactions, edges say one must come before another, and why.
public struct DependencyGraph: Sendable {
    /// Why an edge holds.
    public enum EdgeKind: UInt8, Sendable, Comparable {
        /// The target overwrote (appended after) the source's write.
        case ww
        /// The target read the source's write.
        case wr
        /// The target overwrote a version the source read (an anti-dependency).
        case rw

        public static func < (a: EdgeKind, b: EdgeKind) -> Bool { a.rawValue < b.rawValue }
    }

    /// An edge with its evidence: the key and the value that make it hold.
    public struct Edge: Sendable, Equatable {
        public let to: Int
        public let kind: EdgeKind
        public let key: Int64
        public let value: Int64?
    }

    public private(set) var edges: [[Edge]]
    /// Packed (from, to, kind) triples already present, so each is kept once.
    private var present = Set<UInt64>()

    public init(nodes: Int) { edges = Array(repeating: [], count: nodes) }

    public var nodeCount: Int { edges.count }

    public mutating func add(_ from: Int, _ to: Int, _ kind: EdgeKind, key: Int64, value: Int64?) {
        guard from != to else { return }
        let packed = UInt64(from) << 34 | UInt64(to) << 2 | UInt64(kind.rawValue)
        guard present.insert(packed).inserted else { return }
        edges[from].append(Edge(to: to, kind: kind, key: key, value: value))
    }

    /// The strongly connected components with more than one node (Tarjan's algorithm, iterative):
    /// every cycle lies inside one of them. Components and their nodes come out sorted.
    public func cyclicComponents() -> [[Int]] {
        let n = edges.count
        var index = [Int](repeating: -1, count: n), low = [Int](repeating: 0, count: n)
        var onStack = [Bool](repeating: false, count: n)
        var stack: [Int] = [], components: [[Int]] = []
        var counter = 0
        var work: [(node: Int, edge: Int)] = []
        for root in 0..<n where index[root] < 0 {
            work.append((root, 0))
            while let (v, i) = work.last {
                if i == 0 && index[v] < 0 {
                    index[v] = counter; low[v] = counter; counter += 1
                    stack.append(v); onStack[v] = true
                }
                if i < edges[v].count {
                    work[work.count - 1].edge += 1
                    let w = edges[v][i].to
                    if index[w] < 0 {
                        work.append((w, 0))
                    } else if onStack[w] {
                        low[v] = min(low[v], index[w])
                    }
                    continue
                }
                work.removeLast()
                if let parent = work.last { low[parent.node] = min(low[parent.node], low[v]) }
                if low[v] == index[v] {
                    var component: [Int] = []
                    while let w = stack.popLast() {
                        onStack[w] = false
                        component.append(w)
                        if w == v { break }
                    }
                    if component.count > 1 { components.append(component.sorted()) }
                }
            }
        }
        return components.sorted { $0[0] < $1[0] }
    }

    /// The shortest path from `start` to `goal` inside `allowed`, using edges `usable` admits
    /// (breadth-first; ties go to lower-numbered nodes, so the answer is deterministic).
    public func shortestPath(from start: Int, to goal: Int, within allowed: Set<Int>, using usable: (EdgeKind) -> Bool) -> [Edge]? {
        if start == goal { return [] }
        var previous: [Int: (from: Int, edge: Edge)] = [start: (start, Edge(to: start, kind: .ww, key: 0, value: nil))]
        var frontier = [start]
        while !frontier.isEmpty {
            var nextFrontier: [Int] = []
            for v in frontier {
                for edge in edges[v] where usable(edge.kind) && allowed.contains(edge.to) && previous[edge.to] == nil {
                    previous[edge.to] = (v, edge)
                    if edge.to == goal {
                        var path: [Edge] = []
                        var at = goal
                        while at != start, let step = previous[at] {
                            path.append(step.edge)
                            at = step.from
                        }
                        return path.reversed()
                    }
                    nextFrontier.append(edge.to)
                }
            }
            frontier = nextFrontier
        }
        return nil
    }

    /// A cycle through `edge` (from `from`) closed by a shortest path back using `usable` edges.
    public func cycle(through from: Int, _ edge: Edge, within allowed: Set<Int>, using usable: (EdgeKind) -> Bool) -> [(from: Int, edge: Edge)]? {
        guard let back = shortestPath(from: edge.to, to: from, within: allowed, using: usable) else { return nil }
        var steps: [(from: Int, edge: Edge)] = [(from, edge)]
        var at = edge.to
        for e in back {
            steps.append((at, e))
            at = e.to
        }
        return steps
    }
}
