/// A node of a computation graph for reverse-mode automatic differentiation.
///
/// Every operation computes its value at once and records its inputs and a backward rule. The
/// rules are written with the same differentiable operations, so the gradient itself can be
/// differentiated again (needed by the gradient penalty of WGAN-GP, Gulrajani et al., "Improved
/// Training of Wasserstein GANs", NeurIPS 2017). Graphs are per call and never shared across
/// threads.
final class Variable: @unchecked Sendable {
  /// Maps the gradient of the output to the gradients of the inputs; `inputs` and `output` are
  /// either the graph's own nodes (to build a differentiable gradient) or constant copies.
  typealias Backward = (_ grad: Variable, _ inputs: [Variable], _ output: Variable) -> [Variable?]

  /// The value (for a parameter, updated in place by an optimizer).
  var value: Tensor
  /// Whether a gradient flows to this node.
  let requiresGrad: Bool
  let parents: [Variable]
  let backward: Backward?

  /// A constant or, with `requiresGrad`, a trainable leaf.
  init(_ value: Tensor, requiresGrad: Bool = false) {
    self.value = value
    self.requiresGrad = requiresGrad
    parents = []
    backward = nil
  }

  /// The result of an operation; it needs a gradient only if an input does.
  init(_ value: Tensor, parents: [Variable], backward: @escaping Backward) {
    self.value = value
    if parents.contains(where: \.requiresGrad) {
      self.requiresGrad = true
      self.parents = parents
      self.backward = backward
    } else {
      self.requiresGrad = false
      self.parents = []
      self.backward = nil
    }
  }

  var rows: Int { value.rows }
  var cols: Int { value.cols }

  /// A constant with the same value, cut from the graph.
  var detached: Variable { Variable(value) }

  /// The value of a 1×1 result.
  var scalar: Float { value.data.first ?? 0 }
}

/// Reverse-mode differentiation.
enum Autodiff {
  /// The gradients of the scalar `output` with respect to `inputs` (zeros where unconnected).
  /// - Parameters:
  ///   - output: A 1×1 variable.
  ///   - inputs: Leaves or intermediate nodes.
  ///   - createGraph: Whether the gradients are themselves differentiable (for a gradient of a
  ///     gradient); otherwise they are constants and no graph is recorded.
  /// - Returns: One gradient per input, shaped like it.
  static func gradients(of output: Variable, wrt inputs: [Variable], createGraph: Bool = false)
    -> [Variable]
  {
    // Topological order by depth-first search from the output; parents' order is fixed, so
    // the order (and every floating-point sum) is deterministic.
    var order: [Variable] = []
    var visited = Set<ObjectIdentifier>()
    var stack: [(Variable, Bool)] = [(output, false)]
    while let (node, expanded) = stack.popLast() {
      if expanded {
        order.append(node)
        continue
      }
      let id = ObjectIdentifier(node)
      if visited.contains(id) || !node.requiresGrad { continue }
      visited.insert(id)
      stack.append((node, true))
      for parent in node.parents.reversed() where parent.requiresGrad {
        if !visited.contains(ObjectIdentifier(parent)) { stack.append((parent, false)) }
      }
    }
    var grads: [ObjectIdentifier: Variable] = [:]
    grads[ObjectIdentifier(output)] = Variable(
      Tensor(rows: output.rows, cols: output.cols, repeating: 1))
    for node in order.reversed() {
      guard let backward = node.backward, let g = grads[ObjectIdentifier(node)] else { continue }
      let ins = createGraph ? node.parents : node.parents.map(\.detached)
      let out = createGraph ? node : node.detached
      let parentGrads = backward(createGraph ? g : g.detached, ins, out)
      for (parent, pg) in zip(node.parents, parentGrads) where parent.requiresGrad {
        guard let pg else { continue }
        let id = ObjectIdentifier(parent)
        if let existing = grads[id] {
          grads[id] = existing + pg
        } else {
          grads[id] = pg
        }
      }
      // Intermediate gradients are no longer needed once passed on (saves memory).
      if !inputs.contains(where: { $0 === node }) { grads[ObjectIdentifier(node)] = nil }
    }
    return inputs.map { input in
      grads[ObjectIdentifier(input)]
        ?? Variable(Tensor(rows: input.rows, cols: input.cols))
    }
  }
}
