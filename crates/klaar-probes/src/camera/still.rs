//! `KLAAR_FAKE_CAMERA`: a still image as the camera. Every frame is that image.

use super::picture::LumaFrame;
use super::FrameSource;
use klaar_facts::ProbeError;
use std::path::Path;

pub struct Still {
    name: String,
    frame: LumaFrame,
}

impl Still {
    pub fn open(path: &Path) -> Result<Still, ProbeError> {
        let shown = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| ProbeError::from_io(shown.clone(), &e))?;
        let image = image::load_from_memory(&bytes).map_err(|e| ProbeError::Unreadable {
            path: shown.clone(),
            reason: format!("not a PNG or JPEG picture: {e}"),
        })?;
        let luma = image.to_luma8();
        Ok(Still {
            name: Still::name_of(path),
            frame: LumaFrame {
                width: luma.width() as usize,
                height: luma.height() as usize,
                luma: luma.into_raw(),
            },
        })
    }
}

impl Still {
    /// "Testbeeld backlit.png": a made camera, named after its picture.
    pub fn name_of(path: &Path) -> String {
        let file = path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        format!("Testbeeld {file}")
    }
}

impl FrameSource for Still {
    fn name(&self) -> String {
        self.name.clone()
    }

    fn next_frame(&mut self) -> Result<Option<LumaFrame>, String> {
        Ok(Some(self.frame.clone()))
    }
}
