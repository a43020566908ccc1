mod jobs;

fn main() {
    jobs::transcode("in.mp4");
}
