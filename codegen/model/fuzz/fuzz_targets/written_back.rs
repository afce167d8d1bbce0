//! The property both targets check on every model that loads cleanly: the
//! JSON AST written for it reads back as the same model.

use tinsmith_model::Loader;
use tinsmith_model::model::{Model, Shape, Traits};

fn same_traits(a: &Traits, b: &Traits) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|((ia, ta), (ib, tb))| ia == ib && ta.value == tb.value)
}

/// Writes `model` as JSON AST and reads it back: the text loads without
/// errors, every shape (built-in ones included, but for namespaces the
/// model only mentions) keeps its mixins,
/// properties, traits and members (targets and traits), and writing it
/// again gives the same text.
pub fn check(model: &Model) {
    let written = tinsmith_model::json_ast::to_string(model);
    let again = Loader::new().source("written.json", written.as_str()).load();
    assert!(!again.has_errors(), "the written JSON AST does not load: {:?}\n{written}", again.diagnostics);
    assert_eq!(model.metadata, again.model.metadata);
    // A load holds the built-in namespaces its files name, and a file can
    // name one it defines nothing in (in documentation, an unused key): the
    // first model may hold built-in namespaces the second has no shape of.
    let namespaces: std::collections::HashSet<&str> =
        again.model.shapes.keys().map(|id| id.namespace()).collect();
    let kept = |shape: &&Shape| !(shape.span.is_builtin() && !namespaces.contains(shape.id.namespace()));
    let shapes: Vec<&Shape> = model.shapes.values().map(|s| s.as_ref()).filter(kept).collect();
    assert_eq!(shapes.len(), again.model.shapes.len());
    for shape in shapes {
        let other = again.model.shape(&shape.id).expect("every shape is written");
        assert_eq!(shape.ty, other.ty, "{}", shape.id);
        assert_eq!(shape.mixins, other.mixins, "{}", shape.id);
        assert_eq!(shape.properties, other.properties, "{}", shape.id);
        assert!(same_traits(&shape.traits, &other.traits), "{}", shape.id);
        assert_eq!(shape.members.len(), other.members.len(), "{}", shape.id);
        for (a, b) in shape.members.values().zip(other.members.values()) {
            assert!(a.id == b.id && a.target == b.target && same_traits(&a.traits, &b.traits), "{}", a.id);
        }
    }
    assert_eq!(tinsmith_model::json_ast::to_string(&again.model), written);
}
