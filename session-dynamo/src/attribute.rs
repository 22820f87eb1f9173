//! The session object as a DynamoDB map, and back: JSON values to attribute values one for
//! one (`null` NULL, booleans BOOL, numbers N, strings S, arrays L, objects M).

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;
use serde_json::{Map, Number, Value};
use session_core::SessionData;

/// A stored attribute that no session object could have produced.
#[derive(Debug, thiserror::Error)]
#[error("a session attribute of an unexpected kind: {0}")]
pub(crate) struct UnexpectedAttribute(String);

/// The session object as the attributes of one DynamoDB map.
pub(crate) fn to_map(
    data: &SessionData,
) -> Result<HashMap<String, AttributeValue>, serde_json::Error> {
    let object: Map<String, Value> = serde_json::from_str(&data.to_json())?;
    Ok(object.into_iter().map(|(key, value)| (key, to_attribute(value))).collect())
}

/// The session object a DynamoDB map holds.
pub(crate) fn from_map(
    map: HashMap<String, AttributeValue>,
) -> Result<SessionData, Box<dyn std::error::Error + Send + Sync>> {
    let object = map
        .into_iter()
        .map(|(key, value)| Ok((key, from_attribute(value)?)))
        .collect::<Result<Map<String, Value>, UnexpectedAttribute>>()?;
    Ok(SessionData::from_json(&Value::Object(object).to_string())?)
}

fn to_attribute(value: Value) -> AttributeValue {
    match value {
        Value::Null => AttributeValue::Null(true),
        Value::Bool(b) => AttributeValue::Bool(b),
        Value::Number(n) => AttributeValue::N(n.to_string()),
        Value::String(s) => AttributeValue::S(s),
        Value::Array(items) => AttributeValue::L(items.into_iter().map(to_attribute).collect()),
        Value::Object(fields) => {
            AttributeValue::M(fields.into_iter().map(|(k, v)| (k, to_attribute(v))).collect())
        }
    }
}

fn from_attribute(value: AttributeValue) -> Result<Value, UnexpectedAttribute> {
    Ok(match value {
        AttributeValue::Null(_) => Value::Null,
        AttributeValue::Bool(b) => Value::Bool(b),
        // DynamoDB normalises numbers (`1.50` comes back `1.5`), but keeps their value.
        AttributeValue::N(n) => Value::Number(
            n.parse::<Number>().map_err(|_| UnexpectedAttribute(format!("number {n:?}")))?,
        ),
        AttributeValue::S(s) => Value::String(s),
        AttributeValue::L(items) => {
            Value::Array(items.into_iter().map(from_attribute).collect::<Result<_, _>>()?)
        }
        AttributeValue::M(fields) => Value::Object(
            fields
                .into_iter()
                .map(|(k, v)| Ok((k, from_attribute(v)?)))
                .collect::<Result<_, UnexpectedAttribute>>()?,
        ),
        other => return Err(UnexpectedAttribute(format!("{other:?}"))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_json_kind_round_trips() {
        let json = r#"{"a":null,"b":true,"c":-12,"d":0.1,"e":"äpfel","f":[1,"x",[]],"g":{"h":{}},"i":2.5e100}"#;
        let data = SessionData::from_json(json).unwrap();
        let map = to_map(&data).unwrap();
        assert_eq!(map["e"], AttributeValue::S("äpfel".into()));
        assert_eq!(map["c"], AttributeValue::N("-12".into()));
        let value = |d: &SessionData| serde_json::from_str::<Value>(&d.to_json()).unwrap();
        assert_eq!(value(&from_map(map).unwrap()), value(&data));
    }

    #[test]
    fn attributes_a_session_never_has_are_an_error() {
        let map = HashMap::from([("s".to_owned(), AttributeValue::Ss(vec!["a".into()]))]);
        assert!(from_map(map).is_err());
        let map = HashMap::from([("n".to_owned(), AttributeValue::N("not a number".into()))]);
        assert!(from_map(map).is_err());
    }
}
