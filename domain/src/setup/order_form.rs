//! The business's own questions, as the console edits them.

use crate::form::OrderForm;
use serde::{Deserialize, Serialize};

/// `PUT /api/sites/{site}/order-form`: the business's questions, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct OrderFormInput {
    #[allow(missing_docs)]
    pub form: OrderForm,
}
