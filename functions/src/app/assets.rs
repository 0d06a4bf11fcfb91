//! The assets function: site configuration and who serves a postcode.

use super::{App, AppError};
use crate::store::Store;
use jobslot_domain::api::{CoverageResponse, SiteConfigResponse, TechnicianSummary};
use jobslot_domain::ids::SiteId;
use jobslot_domain::postcode::Postcode;

impl<S: Store> App<S> {
    /// What the widget needs to draw the site's booking flow.
    pub async fn site_config(&self, site: &SiteId) -> Result<SiteConfigResponse, AppError> {
        Ok(SiteConfigResponse::from(&self.site(site).await?))
    }

    /// The technicians serving a postcode.
    pub async fn coverage(&self, site: &SiteId, raw_postcode: &str) -> Result<CoverageResponse, AppError> {
        let site = self.site(site).await?;
        let postcode = Postcode::parse("postcode", site.country, raw_postcode)?;
        let technicians = self.serving(&site, &postcode).await?;
        Ok(CoverageResponse {
            postcode: postcode.to_string(),
            technicians: technicians
                .iter()
                .map(|t| TechnicianSummary { id: t.id.clone(), name: t.name.clone() })
                .collect(),
        })
    }
}
