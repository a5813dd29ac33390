//! A real camera through nokhwa (V4L2, AVFoundation, Media Foundation). Frames arrive in the
//! camera's own format; only their brightness is needed, so YUYV and grey frames are read as they
//! are and MJPEG frames are decoded to luma.

use super::picture::LumaFrame;
use super::FrameSource;
use nokhwa::pixel_format::LumaFormat;
use nokhwa::utils::{CameraIndex, FrameFormat, RequestedFormat, RequestedFormatType};
use nokhwa::Camera;

pub struct Native {
    camera: Camera,
    name: String,
}

/// Why a camera could not start; the message comes from the platform.
pub struct OpenError(pub String);

impl Native {
    pub fn open(index: u32, name: String) -> Result<Native, OpenError> {
        let format = RequestedFormat::new::<LumaFormat>(RequestedFormatType::None);
        let mut camera =
            Camera::new(CameraIndex::Index(index), format).map_err(|e| OpenError(e.to_string()))?;
        camera.open_stream().map_err(|e| OpenError(e.to_string()))?;
        Ok(Native { camera, name })
    }
}

impl FrameSource for Native {
    fn name(&self) -> String {
        self.name.clone()
    }

    fn next_frame(&mut self) -> Result<Option<LumaFrame>, String> {
        let buffer = self.camera.frame().map_err(|e| e.to_string())?;
        let resolution = buffer.resolution();
        let (width, height) = (resolution.width() as usize, resolution.height() as usize);
        let bytes = buffer.buffer();
        let frame = match buffer.source_frame_format() {
            FrameFormat::YUYV => LumaFrame::from_yuyv(width, height, bytes),
            // NV12 and grey frames start with the full-size luma plane.
            FrameFormat::NV12 | FrameFormat::GRAY => LumaFrame {
                width,
                height,
                luma: bytes.get(..width * height).unwrap_or(bytes).to_vec(),
            },
            FrameFormat::RAWRGB => LumaFrame::from_rgb(width, height, bytes),
            FrameFormat::RAWBGR => {
                let rgb: Vec<u8> = bytes
                    .chunks_exact(3)
                    .flat_map(|p| [p[2], p[1], p[0]])
                    .collect();
                LumaFrame::from_rgb(width, height, &rgb)
            }
            FrameFormat::MJPEG => {
                // A frame cut short by the camera is skipped, not fatal.
                let Ok(image) =
                    image::load_from_memory_with_format(bytes, image::ImageFormat::Jpeg)
                else {
                    return Ok(None);
                };
                let luma = image.to_luma8();
                LumaFrame {
                    width: luma.width() as usize,
                    height: luma.height() as usize,
                    luma: luma.into_raw(),
                }
            }
        };
        Ok(Some(frame))
    }
}

impl Drop for Native {
    fn drop(&mut self) {
        let _ = self.camera.stop_stream();
    }
}
