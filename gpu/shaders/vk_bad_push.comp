// gpu/shaders/vk_bad_push.comp — refused: push constants (kernel pipeline
// layouts have none).
#version 450
layout(local_size_x = 1) in;
layout(push_constant) uniform P { uint p; };
layout(std430, set = 0, binding = 0) buffer O { uint o[]; };
void main() { o[0] = p; }
